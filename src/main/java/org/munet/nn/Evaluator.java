package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.List;
import org.munet.data.Batch;

/**
 * Accuracy of a path on host batches, without gradients, each batch in its own scope so that
 * native memory stays flat however long the evaluation.
 */
public final class Evaluator {

    private final NDManager manager;
    private final PrefixCache prefixes;

    public Evaluator(NDManager manager) {
        this(manager, null);
    }

    /** @param prefixes where frozen prefixes' activations are shared, or null */
    public Evaluator(NDManager manager, PrefixCache prefixes) {
        this.manager = manager;
        this.prefixes = prefixes;
    }

    /**
     * Validation quality as the reference computes it: the mean of per-batch accuracies (the
     * validation subset is made of equal batches, spec §2.6).
     */
    public double meanBatchAccuracy(PathModel model, List<Batch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("no validation batches");
        }
        double sum = 0;
        for (Batch b : batches) {
            sum += correct(model, b) / (double) b.size();
        }
        return sum / batches.size();
    }

    /** Test accuracy: correct over total, so a last partial batch weighs what it holds (§2.7). */
    public double accuracy(PathModel model, Iterable<Batch> batches) {
        long correct = 0;
        long total = 0;
        for (Batch b : batches) {
            correct += correct(model, b);
            total += b.size();
        }
        if (total == 0) {
            throw new IllegalArgumentException("no examples to evaluate");
        }
        return correct / (double) total;
    }

    /** Predicted class per example, in order. */
    public int[] predictions(PathModel model, Batch batch) {
        try (NDScope scope = new NDScope();
                NDManager step = manager.newSubManager();
                GradMode off = GradMode.disabled()) {
            NDArray logits = new FrozenPrefix(model, prefixes).logits(step, batch);
            long[] argMax = logits.argMax(1).toLongArray();
            int[] out = new int[argMax.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) argMax[i];
            }
            return out;
        }
    }

    /**
     * Logits per example, row-major ({@code batch.size()} rows of the model's class count), from
     * the same forward pass as {@link #predictions}.
     */
    public float[] logits(PathModel model, Batch batch) {
        try (NDScope scope = new NDScope();
                NDManager step = manager.newSubManager();
                GradMode off = GradMode.disabled()) {
            return new FrozenPrefix(model, prefixes).logits(step, batch).toFloatArray();
        }
    }

    private int correct(PathModel model, Batch batch) {
        int[] predicted = predictions(model, batch);
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == batch.labels()[i]) {
                correct++;
            }
        }
        return correct;
    }
}
