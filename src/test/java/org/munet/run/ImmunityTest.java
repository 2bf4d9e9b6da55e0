package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.evolution.TestResult;
import org.munet.store.StateVerifier;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.TaskPath;
import org.munet.worker.LocalCandidateRunner;

/**
 * Immunity on real training: once task A is solved, adding tasks B and C (which may reuse A's
 * components, frozen) changes neither A's predictions nor any file A's components live in.
 */
class ImmunityTest {

    @Test
    void solvedTaskIsUntouchedByLaterTasks(@TempDir Path dir) throws Exception {
        Path config = TinyRuns.config(dir, "abc.yaml", List.of("mnist", "fashion_mnist", "mnist/rot90"), 4, 1);
        String state = dir.resolve("state").toString();
        Map<String, String> filesAfterA = new TreeMap<>();
        ProgressListener snapshotAfterA = new ProgressListener() {
            @Override
            public void onGeneration(org.munet.evolution.GenerationReport report) {}

            @Override
            public void onTaskEnd(String task, int iteration, double validation, double test, double elapsed) {
                if (task.equals("mnist")) {
                    filesAfterA.putAll(componentFiles(Path.of(state, "components")));
                }
            }
        };
        EvolveRun.Outcome outcome;
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            outcome = EvolveRun.run(config, state, null, null, runner, snapshotAfterA);
            Population population = outcome.population();
            List<TaskPath> a = population.pathsOf("mnist");
            assertEquals(1, a.size(), "one live path per task after its iteration");
            TaskPath pathA = a.get(0);
            String recorded = pathA.metrics().testPredictionsSha256();
            assertNotNull(recorded, "test predictions recorded at the end of A's iteration");

            // B and C ran after A; A was not revisited. Its predictions must be bit-identical.
            TestResult again = runner.test(Path.of(state).toUri().toString(),
                    List.of(outcome.engine().testSpec(population, pathA))).get(0);
            assertEquals(recorded, again.predictionsSha256());
            assertEquals(pathA.metrics().testQuality(), again.accuracy());

            // Every component file that existed when A was done is byte-identical now.
            Map<String, String> now = componentFiles(Path.of(state, "components"));
            for (Map.Entry<String, String> e : filesAfterA.entrySet()) {
                assertEquals(e.getValue(), now.get(e.getKey()), "component file rewritten: " + e.getKey());
            }
            assertTrue(now.size() > filesAfterA.size(), "B and C added components of their own");
            for (Component c : population.componentsOf(pathA)) {
                assertTrue(c.locks().contains("mnist") || c.locks().contains(Component.NOT_TRAINABLE),
                        c + " of A's path must be locked");
                assertFalse(c.isTrainable());
            }
        }
        assertEquals(List.of(), StateVerifier.verify(new StateReader(state).store()).errors(), "state is consistent");
    }

    static Map<String, String> componentFiles(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".safetensors")) {
                    out.put(f.getFileName().toString(),
                            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                }
            }
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
