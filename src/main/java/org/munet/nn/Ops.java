package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The few tensor functions the components are made of. Every function takes the activation as its
 * first operand: DJL attaches a result to the manager of its first operand, and a parameter there
 * would tie every step's activations to the model's lifetime (platform-notes, trap 1).
 */
final class Ops {

    /** flax LayerNorm's epsilon. */
    static final float LAYER_NORM_EPS = VitConfig.LAYER_NORM_EPS;

    private Ops() {}

    /** x W^T + b over the last axis; W in PyTorch layout (out, in). */
    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    static NDArray layerNorm(NDArray x, NDArray scale, NDArray bias) {
        long width = x.getShape().get(x.getShape().dimension() - 1);
        return x.getNDArrayInternal()
                .layerNorm(x, new Shape(width), scale, bias, LAYER_NORM_EPS)
                .singletonOrThrow();
    }

    /**
     * A float scalar in libtorch's own memory, on {@code like}'s manager and device, for use as an
     * operand in a recorded (gradient) computation.
     *
     * <p>Never pass a Java number to an op while gradients are recorded ({@code x.mul(0.5)}): DJL
     * wraps the number in a tensor over a Java direct buffer and closes it right after the op, but
     * autograd keeps that tensor for the backward pass; a garbage collection in between (from any
     * thread) frees the buffer, and backward reads whatever the memory holds by then. Training then
     * depends on GC timing: concurrent candidates, or a busy Spark driver, gave different results.
     */
    static NDArray scalar(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }

    static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }
}
