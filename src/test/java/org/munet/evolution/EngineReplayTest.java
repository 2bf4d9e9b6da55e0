package org.munet.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.munet.store.SystemManifest;
import org.munet.system.Component;
import org.munet.system.ComponentNames;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;
import org.munet.system.Progress;
import org.munet.system.ReferenceDefaults;
import org.munet.system.SystemState;
import org.munet.system.TaskPath;
import org.munet.testing.PopulationBuilder;

/**
 * The engine's decisions are a pure function of (seed, committed state): two runs agree, and a run
 * stopped after any commit and continued from that commit ends in the same system. Training is
 * replaced by a deterministic stand-in here (the policy is what is under test); real training is
 * covered by the run package's tests.
 */
class EngineReplayTest {

    private static final ModelDims DIMS = PolicyFixtures.DIMS;

    /** Quality is a pure function of the candidate's architecture and hyperparameters. */
    static class FakeRunner implements CandidateRunner {
        int trained;

        @Override
        public List<CandidateResult> train(GenerationInfo generation, List<CandidateSpec> specs) {
            List<CandidateResult> out = new ArrayList<>();
            for (CandidateSpec s : specs) {
                trained++;
                int h = (s.hparams().toString() + s.components().stream().map(p -> p.action().name()).toList()).hashCode();
                double q = 0.5 + (Math.floorMod(h, 1000) / 2000.0);
                boolean improved = s.keep().improved(List.of(q));
                Map<Long, String> staged = new LinkedHashMap<>();
                if (improved) {
                    s.components().stream().filter(ComponentPlan::trainable)
                            .forEach(p -> staged.put(p.id(), "sha-" + p.id()));
                }
                out.add(new CandidateResult(s.pathId(), List.of(q), q, improved, staged, 1.0, 1.2, null));
            }
            return out;
        }

        @Override
        public List<TestResult> test(String stateUri, List<TestSpec> specs) {
            List<TestResult> out = new ArrayList<>();
            for (TestSpec s : specs) {
                out.add(new TestResult(s.pathId(), 0.9, 100, "p" + s.pathId(), 0.1));
            }
            return out;
        }
    }

    /** Keeps every committed version as manifest bytes; can be told to fail at a version. */
    static final class MemorySink implements StateSink {
        final List<byte[]> versions = new ArrayList<>();
        int failAt = -1;

        @Override
        public void commit(SystemState state, String runId, List<TaskPath> createdPaths,
                List<Component> createdComponents) {
            if (versions.size() == failAt) {
                throw new IllegalStateException("simulated crash before version " + failAt);
            }
            versions.add(SystemManifest.encode(versions.size(), state));
        }

        String last() {
            return withoutTimestamps(versions.get(versions.size() - 1));
        }
    }

    private static EngineSettings settings(long seed) {
        Map<String, Object> h = ReferenceDefaults.hparams(28, 2);
        PolicySettings policy = new PolicySettings(DIMS, Hyperparams.of(h), SearchSpace.v2(), true,
                Set.of(ComponentNames.ENCODER_NORM), false);
        List<TaskSpec> tasks = List.of(new TaskSpec("a", 10, 1000), new TaskSpec("b", 5, 1000),
                new TaskSpec("private:c", 10, 1000));
        return new EngineSettings(tasks, policy, 1.0, 3, 7, 2, 32, 2, 640, 256, seed, WorkerCaches.DEFAULTS, 1);
    }

    private static SystemState root(EngineSettings s) {
        PopulationBuilder p = new PopulationBuilder();
        PolicyFixtures.addRoot(p, s.policy().defaults(), s.policy().defaults().getInt(HparamKeys.NUM_LAYERS));
        return new SystemState(p.get(), Progress.start(), "cfg", 1000, null);
    }

    private static MemorySink run(long seed) {
        EngineSettings s = settings(seed);
        MemorySink sink = new MemorySink();
        new EvolutionEngine(s, new FakeRunner(), sink, "mem", ProgressListener.NONE).run(root(s));
        return sink;
    }

    @Test
    void sameSeedSameSystemOtherSeedOtherSystem() {
        MemorySink a = run(11);
        MemorySink b = run(11);
        assertEquals(a.versions.size(), b.versions.size());
        assertEquals(a.last(), b.last());
        // 3 tasks x 2 iterations x (3 generations + 1 task end)
        assertEquals(24, a.versions.size());
        assertNotEquals(a.last(), run(12).last());
    }

    @Test
    void stoppingAfterAnyCommitAndContinuingGivesTheSameSystem() {
        String uninterrupted = run(5).last();
        for (int crashAt : new int[] {1, 2, 4, 9, 17}) {
            EngineSettings s = settings(5);
            MemorySink first = new MemorySink();
            first.failAt = crashAt;
            EvolutionEngine engine = new EvolutionEngine(s, new FakeRunner(), first, "mem", ProgressListener.NONE);
            assertThrows(IllegalStateException.class, () -> engine.run(root(s)));
            // Continue from the last committed version, decoded from its bytes as a restart would.
            SystemManifest.Loaded committed = SystemManifest.decode(first.versions.get(crashAt - 1), "v" + (crashAt - 1));
            MemorySink second = new MemorySink();
            second.versions.addAll(first.versions);
            new EvolutionEngine(s, new FakeRunner(), second, "mem", ProgressListener.NONE).run(committed.state());
            assertEquals(uninterrupted, second.last(), "continued after a crash before version " + crashAt);
        }
    }

    @Test
    void privateTaskIsNeverAParentOfAnotherTask() {
        MemorySink sink = run(3);
        SystemManifest.Loaded end = SystemManifest.decode(sink.versions.get(sink.versions.size() - 1), "end");
        Set<Long> privatePaths = new java.util.HashSet<>();
        for (byte[] v : sink.versions) {
            for (TaskPath p : SystemManifest.decode(v, "v").population().paths()) {
                if (p.task().startsWith("private:")) {
                    privatePaths.add(p.id());
                }
            }
        }
        assertTrue(!privatePaths.isEmpty());
        for (byte[] v : sink.versions) {
            for (TaskPath p : SystemManifest.decode(v, "v").population().paths()) {
                if (!p.task().startsWith("private:") && p.parentId() != null) {
                    assertTrue(!privatePaths.contains(p.parentId()), p + " descends from a private path");
                }
            }
        }
        assertEquals(List.of("a", "b", "private:c"), end.population().tasks());
    }

    @Test
    void aTaskWhoseCandidatesAllFailDoesNotStopTheRun() {
        EngineSettings s = settings(2);
        FakeRunner failingB = new FakeRunner() {
            @Override
            public List<CandidateResult> train(GenerationInfo generation, List<CandidateSpec> specs) {
                if (!generation.task().equals("b")) {
                    return super.train(generation, specs);
                }
                List<CandidateResult> out = new ArrayList<>();
                for (CandidateSpec spec : specs) {
                    out.add(CandidateResult.failed(spec.pathId(), "training loss became NaN", 0.5));
                }
                return out;
            }
        };
        MemorySink sink = new MemorySink();
        Progress end = new EvolutionEngine(s, failingB, sink, "mem", ProgressListener.NONE).run(root(s)).progress();
        assertEquals(s.totalVisits(), end.visitIndex());
        SystemManifest.Loaded last = SystemManifest.decode(sink.versions.get(sink.versions.size() - 1), "end");
        assertEquals(Set.of("a", "private:c"), Set.copyOf(last.population().tasks()), "b has no path, the others do");
    }

    static String withoutTimestamps(byte[] manifest) {
        return new String(manifest, StandardCharsets.UTF_8).replaceAll("\"written_at\" : \"[^\"]*\"", "")
                .replaceAll("\"version\" : \\d+", "");
    }
}
