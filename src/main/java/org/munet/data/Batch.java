package org.munet.data;

/**
 * One batch of preprocessed examples, ready to become a model input.
 *
 * <p>{@code images} holds {@code size} images of {@code channels x imageSize x imageSize}
 * floats in [-1, 1], N-C-H-W order (channels first, as PyTorch models expect). Batches handed
 * out by {@link ValidationSubset} are cached and shared: never write to the arrays.
 *
 * @param images {@code size*channels*imageSize*imageSize} floats, N-C-H-W
 * @param labels {@code size} labels
 * @param size number of examples
 * @param channels channels per image
 * @param imageSize side of each square image
 * @param key the batch's identity where its source can promise one ({@link BatchKey}), else null
 */
public record Batch(float[] images, int[] labels, int size, int channels, int imageSize, BatchKey key) {

    /** A batch without an identity: never taken for another. */
    public Batch(float[] images, int[] labels, int size, int channels, int imageSize) {
        this(images, labels, size, channels, imageSize, null);
    }

    /** The same arrays under an identity. */
    public Batch withKey(BatchKey newKey) {
        return new Batch(images, labels, size, channels, imageSize, newKey);
    }

    /** Checks that the arrays match the declared shape. */
    public Batch {
        if (labels.length != size || (long) images.length != (long) size * channels * imageSize * imageSize) {
            throw new DatasetException("batch shape mismatch: size " + size + ", " + labels.length + " labels, "
                + images.length + " floats for " + channels + "x" + imageSize + "x" + imageSize + " images");
        }
    }
}
