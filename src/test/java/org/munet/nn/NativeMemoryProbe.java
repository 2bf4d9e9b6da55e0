package org.munet.nn;

import ai.djl.ndarray.NDManager;

/**
 * Trains 2,000 steps and prints the process RSS after every 200, one number per line. Run in its
 * own JVM by {@link NativeMemoryIT} with a fixed, pre-touched heap, so that the heap's growth
 * cannot pass for (or hide) native growth.
 */
public final class NativeMemoryProbe {

    public static void main(String[] args) {
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = FreshPath.model(manager, new ComponentFactory(VitConfig.tiny(), 4, 16), 0);
            new CandidateTrainer(manager, 1).train(model,
                    new OptimizerHparams(0.05, LrSchedule.COSINE, 0.1, 0.9, true),
                    new TrainingBudget(10, 200),
                    TestTraining.cycle(TestTraining.batches(3, 16, 64)),
                    TestTraining.batches(4, 2, 64), 4, Double.NEGATIVE_INFINITY, q -> q,
                    (i, step, acc, score, kept) -> System.out.println("rss " + step + " "
                            + ProcessMemory.residentBytes()));
        }
    }
}
