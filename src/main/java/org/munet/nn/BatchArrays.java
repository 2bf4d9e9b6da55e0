package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.munet.data.Batch;

/** Moves a host batch onto the engine. */
final class BatchArrays {

    private BatchArrays() {}

    static NDArray images(NDManager manager, Batch batch) {
        return aligned(manager.create(batch.images(),
                new Shape(batch.size(), batch.channels(), batch.imageSize(), batch.imageSize())));
    }

    /**
     * A copy in libtorch's own (64-byte aligned) memory. DJL wraps a Java direct buffer for arrays
     * created from Java values, and that buffer's alignment depends on the JVM's allocation history;
     * MKL's matrix kernels round differently at different alignments, so the same candidate trained
     * in two processes (a local thread and a Spark executor) would drift apart in the last bits.
     */
    static NDArray aligned(NDArray wrapped) {
        NDArray copy = wrapped.duplicate();
        wrapped.close();
        return copy;
    }

    /** One-hot float targets, (B, classes); labels were range-checked when the data was loaded. */
    static NDArray oneHot(NDManager manager, Batch batch, int numClasses) {
        float[] targets = new float[batch.size() * numClasses];
        for (int i = 0; i < batch.size(); i++) {
            targets[i * numClasses + batch.labels()[i]] = 1f;
        }
        return aligned(manager.create(targets, new Shape(batch.size(), numClasses)));
    }
}
