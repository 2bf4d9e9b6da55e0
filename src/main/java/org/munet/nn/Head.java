package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Map;
import java.util.SplittableRandom;
import org.munet.system.ComponentNames;

/**
 * {@code head}: a dense layer on the class token, zero-initialised as in vit_jax (so a new head
 * predicts uniformly until trained). Never shared across tasks (spec §2.4).
 */
public final class Head extends ComponentBlock {

    private final VitConfig config;
    private final int width;
    private final int numClasses;
    private final Parameter weight;
    private final Parameter bias;

    public Head(VitConfig config, int numClasses) {
        super(ComponentNames.HEAD);
        this.config = config;
        if (numClasses < 2) {
            throw new IllegalArgumentException("a head needs at least 2 classes, got " + numClasses);
        }
        this.width = config.hiddenSize();
        this.numClasses = numClasses;
        weight = declare("weight", new Shape(numClasses, width));
        bias = declare("bias", new Shape(numClasses));
    }

    public int numClasses() {
        return numClasses;
    }

    @Override
    protected Map<String, float[]> initialValues(SplittableRandom rng) {
        return Map.of("weight", Inits.constant(numClasses * width, 0f),
                "bias", Inits.constant(numClasses, 0f));
    }

    /** (B, S, D) tokens to (B, classes) logits, reading the class token. */
    @Override
    public NDArray apply(NDArray x) {
        return Ops.linear(x.get(":, 0, :"), value(weight), value(bias));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return new Shape[] {new Shape(in[0].get(0), numClasses)};
    }

    @Override
    protected ComponentBlock emptyTwin() {
        return new Head(config, numClasses);
    }
}
