package org.munet.nn;

import java.util.Iterator;
import java.util.SplittableRandom;
import org.munet.data.Batch;

/**
 * A learnable synthetic task for fast unit tests of training mechanics: the label is which
 * quadrant of the image holds the bright blob. Real-data tests live in the *IT-style tests.
 */
final class SyntheticBatches implements Iterator<Batch> {

    private final SplittableRandom rng;
    private final int batchSize;
    private final int imageSize;

    SyntheticBatches(long seed, int batchSize, int imageSize) {
        this.rng = new SplittableRandom(seed);
        this.batchSize = batchSize;
        this.imageSize = imageSize;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Batch next() {
        float[] images = new float[batchSize * imageSize * imageSize];
        int[] labels = new int[batchSize];
        int half = imageSize / 2;
        for (int b = 0; b < batchSize; b++) {
            int label = rng.nextInt(4);
            labels[b] = label;
            int r0 = (label / 2) * half;
            int c0 = (label % 2) * half;
            for (int r = 0; r < imageSize; r++) {
                for (int c = 0; c < imageSize; c++) {
                    boolean inside = r >= r0 && r < r0 + half && c >= c0 && c < c0 + half;
                    float noise = (float) (rng.nextDouble() * 0.4 - 0.2);
                    images[b * imageSize * imageSize + r * imageSize + c] = (inside ? 0.5f : -0.5f) + noise;
                }
            }
        }
        return new Batch(images, labels, batchSize, 1, imageSize);
    }
}
