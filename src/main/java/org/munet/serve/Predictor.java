package org.munet.serve;

import ai.djl.ndarray.NDManager;
import org.munet.data.Batch;
import org.munet.nn.Evaluator;

/**
 * Runs a task model over batches of preprocessed inputs, each batch in its own native scope (the
 * {@link Evaluator}'s, the same forward pass the state's test pass ran).
 */
public final class Predictor {

    private final TaskModel model;
    private final Evaluator evaluator;
    private final int inputSize;

    public Predictor(TaskModel model, NDManager manager) {
        this.model = model;
        this.evaluator = new Evaluator(manager);
        this.inputSize = new ModelInput(model.info()).size();
    }

    /**
     * @param inputs {@code count} preprocessed inputs back to back ({@link ModelInput})
     * @return {@code count} rows of logits, row-major
     */
    public float[] logits(float[] inputs, int count) {
        if ((long) count * inputSize > inputs.length) {
            throw new IllegalArgumentException(count + " inputs of " + inputSize + " floats need "
                    + (long) count * inputSize + " values, got " + inputs.length);
        }
        float[] exact = inputs.length == count * inputSize ? inputs : java.util.Arrays.copyOf(inputs, count * inputSize);
        int size = model.info().vit().imageSize();
        Batch batch = new Batch(exact, new int[count], count, model.info().vit().channels(), size);
        return evaluator.logits(model.path(), batch);
    }
}
