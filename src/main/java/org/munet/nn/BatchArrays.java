package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.munet.data.Batch;

/** Moves a host batch onto the engine. */
final class BatchArrays {

    private BatchArrays() {}

    static NDArray images(NDManager manager, Batch batch) {
        return manager.create(batch.images(),
                new Shape(batch.size(), batch.channels(), batch.imageSize(), batch.imageSize()));
    }

    /** One-hot float targets, (B, classes); labels were range-checked when the data was loaded. */
    static NDArray oneHot(NDManager manager, Batch batch, int numClasses) {
        float[] targets = new float[batch.size() * numClasses];
        for (int i = 0; i < batch.size(); i++) {
            targets[i * numClasses + batch.labels()[i]] = 1f;
        }
        return manager.create(targets, new Shape(batch.size(), numClasses));
    }
}
