package org.munet.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.munet.evolution.CandidateResult;
import org.munet.evolution.CandidateRunner;
import org.munet.evolution.CandidateSpec;
import org.munet.evolution.ComponentPlan;
import org.munet.evolution.GenerationInfo;
import org.munet.evolution.TestResult;
import org.munet.evolution.TestSpec;
import org.munet.store.StateStore;

/**
 * A runner for {@link StateScaleBench} that trains nothing: each candidate gets seeded random
 * validation accuracies, is "improved" exactly when its keep rule says so (the engine re-applies the
 * rule and refuses a disagreement), and an improved candidate stages a small random file for every
 * component it trains, through the real {@link StateStore#putStagedComponent}, as a worker would. So
 * the store sees the same files and commits as in a real run, only tiny (nothing parses component
 * files on the commit, resume or fsck paths: they are only hashed).
 *
 * <p>Every number is a function of (seed, path id), so a run cut into segments makes the same
 * decisions as one that never stopped, and a path tested again reports the same predictions digest
 * (as immunity demands).
 */
final class StandInRunner implements CandidateRunner {

    private final long seed;
    private final Configuration hadoop;
    private StateStore store;

    StandInRunner(long seed, Configuration hadoop) {
        this.seed = seed;
        this.hadoop = hadoop;
    }

    @Override
    public List<CandidateResult> train(GenerationInfo generation, List<CandidateSpec> specs) {
        StateStore staging = store(generation.stateUri());
        List<CandidateResult> out = new ArrayList<>();
        for (CandidateSpec s : specs) {
            SplittableRandom rng = random(s.pathId(), 1);
            List<Double> evals = new ArrayList<>();
            double quality = 0;
            for (int v = 0; v < Math.max(1, s.validations()); v++) {
                double q = rng.nextDouble();
                evals.add(q);
                quality = Math.max(quality, q);
            }
            boolean improved = s.keep().improved(evals);
            Map<Long, String> staged = new LinkedHashMap<>();
            if (improved) {
                for (ComponentPlan plan : s.components()) {
                    if (plan.trainable()) {
                        byte[] bytes = new byte[64 + rng.nextInt(193)]; // 64..256 bytes
                        rng.nextBytes(bytes);
                        staged.put(plan.id(), staging.putStagedComponent(generation.runId(), plan.id(), bytes));
                    }
                }
            }
            out.add(new CandidateResult(s.pathId(), evals, quality, improved, staged, 0.0, 0.0, null));
        }
        return out;
    }

    @Override
    public List<TestResult> test(String stateUri, List<TestSpec> specs) {
        List<TestResult> out = new ArrayList<>();
        for (TestSpec s : specs) {
            SplittableRandom rng = random(s.pathId(), 2);
            double accuracy = rng.nextDouble();
            // A fake digest of predictions, fixed per path: retesting a path gives the same one.
            String digest = String.format("%016x%016x%016x%016x", rng.nextLong(), rng.nextLong(), rng.nextLong(),
                    rng.nextLong());
            out.add(new TestResult(s.pathId(), accuracy, 100, digest, 0.0));
        }
        return out;
    }

    private SplittableRandom random(long pathId, int stream) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (pathId * 31 + stream) * 0xC2B2AE3D27D4EB4FL);
    }

    /** One store for the run's state (the engine names it in every generation). */
    private StateStore store(String uri) {
        if (store == null || !store.uri().toString().equals(uri)) {
            store = StateStore.open(uri, hadoop);
        }
        return store;
    }
}
