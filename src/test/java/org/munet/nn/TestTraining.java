package org.munet.nn;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.munet.data.Batch;

/** Short trainings on the synthetic quadrant task, for tests of training mechanics. */
final class TestTraining {

    private TestTraining() {}

    static List<Batch> batches(long seed, int count, int batchSize) {
        SyntheticBatches source = new SyntheticBatches(seed, batchSize, VitConfig.tiny().imageSize());
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(source.next());
        }
        return out;
    }

    /** An endless stream cycling over pre-made batches: no garbage per step. */
    static Iterator<Batch> cycle(List<Batch> batches) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Batch next() {
                return batches.get(next++ % batches.size());
            }
        };
    }

    static TrainingResult train(NDManager manager, PathModel model, int steps, long seed) {
        return new CandidateTrainer(manager, 1).train(model, new OptimizerHparams(0.05,
                LrSchedule.COSINE, 0.1, 0.9, false), new TrainingBudget(1, steps),
                cycle(batches(seed, 8, 32)), batches(seed + 1, 2, 32), 4,
                Double.NEGATIVE_INFINITY, q -> q, null);
    }
}
