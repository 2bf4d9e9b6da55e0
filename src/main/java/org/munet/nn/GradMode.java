package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Gradient recording for the current thread only.
 *
 * <p>DJL's {@code PtGradientCollector} guards with a JVM-wide flag, so a second candidate training
 * in the same JVM fails (platform-notes, trap 2). libtorch's grad mode is thread-local, so this
 * scope enables it for the calling thread and restores the previous mode on close, which lets
 * several candidates train concurrently on their own threads.
 */
final class GradMode implements AutoCloseable {

    private final boolean previous;

    private GradMode(boolean enabled) {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
    }

    static GradMode enabled() {
        return new GradMode(true);
    }

    static GradMode disabled() {
        return new GradMode(false);
    }

    /** Whether the calling thread records operations for autograd now. */
    static boolean isRecording() {
        return JniUtils.isGradMode();
    }

    /** Back-propagates a scalar loss into the {@code .grad} of every leaf that requires it. */
    static void backward(NDArray scalarLoss) {
        NDArray seed = scalarLoss.onesLike();
        JniUtils.backward((PtNDArray) scalarLoss, (PtNDArray) seed, false, false);
    }

    static NDArray gradientOf(NDArray parameter) {
        return parameter.getGradient();
    }

    static void zeroGradient(NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }

    /** Intra-op threads for work issued from the calling thread (OpenMP's setting is per thread). */
    static void setIntraOpThreads(int threads) {
        JniUtils.setNumThreads(threads);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
