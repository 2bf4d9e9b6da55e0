package org.munet.data;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A labelled set of images held as unsigned bytes.
 *
 * <p>Immutable by convention: {@link #pixels()} and {@link #labels()} return the backing arrays
 * without copying, because base datasets are cached and shared by every candidate model training
 * in the JVM (a defensive copy per access would cost tens of megabytes). Callers must never write
 * to them; every transformation builds a new set.
 *
 * <p>Layout: image {@code i} occupies {@code pixels[i*C*H*W, (i+1)*C*H*W)} in channel-row-column
 * order (C-H-W), each value an unsigned byte ({@code & 0xff}).
 */
public final class ImageSet implements Sized {

    private static final AtomicLong IDENTITIES = new AtomicLong();

    /** Unique per instance in this JVM: what a {@link BatchKey} names the examples by. */
    private final long identity = IDENTITIES.incrementAndGet();
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;
    private final int numClasses;

    /**
     * Wraps the arrays (no copy) after validating them.
     *
     * @param name a name for messages, e.g. {@code mnist/train}
     * @param channels channels per image (1 for grayscale)
     * @param height rows per image
     * @param width columns per image
     * @param pixels {@code labels.length*channels*height*width} unsigned bytes, C-H-W per image
     * @param labels one label per image, each in {@code [0, numClasses)}
     * @param numClasses number of classes of the task
     * @throws DatasetException if the geometry is not positive, the pixel count does not match
     *     the label count, or a label is out of range
     */
    public ImageSet(String name, int channels, int height, int width, byte[] pixels, int[] labels, int numClasses) {
        if (channels <= 0 || height <= 0 || width <= 0 || numClasses <= 0) {
            throw new DatasetException(name + ": invalid geometry channels=" + channels + " height=" + height
                + " width=" + width + " num_classes=" + numClasses + " (all must be positive)");
        }
        long perImage = (long) channels * height * width;
        if ((long) labels.length * perImage != pixels.length) {
            throw new DatasetException(name + ": " + labels.length + " labels but " + pixels.length
                + " pixel bytes (" + (pixels.length / (double) perImage) + " images of " + channels + "x"
                + height + "x" + width + "); image and label files do not belong together");
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (label < 0 || label >= numClasses) {
                throw new DatasetException("label " + label + " at index " + i + " of " + name
                    + (label < 0 ? " is negative" : " is outside the task's " + numClasses + " classes")
                    + "; fix the label file, or the dataset's declared class count");
            }
        }
        this.name = name;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    /**
     * @return this instance's number, unique in the JVM: sets are immutable, so equal numbers mean
     *     equal examples (names do not: two data directories may both hold {@code mnist})
     */
    public long identity() {
        return identity;
    }

    /** @return a name for messages, e.g. {@code mnist/train} */
    public String name() {
        return name;
    }

    /** @return number of images */
    public int size() {
        return labels.length;
    }

    /** @return channels per image */
    public int channels() {
        return channels;
    }

    /** @return rows per image */
    public int height() {
        return height;
    }

    /** @return columns per image */
    public int width() {
        return width;
    }

    /** @return bytes per image, {@code channels*height*width} */
    public int imageBytes() {
        return channels * height * width;
    }

    /** @return the backing pixel array (unsigned bytes, N-C-H-W); never write to it */
    public byte[] pixels() {
        return pixels;
    }

    /** @return the backing label array; never write to it */
    public int[] labels() {
        return labels;
    }

    /** @return bytes held: pixels and labels */
    @Override
    public long bytes() {
        return pixels.length + 4L * labels.length;
    }

    /** @return number of classes of the task (labels lie in {@code [0, numClasses)}) */
    public int numClasses() {
        return numClasses;
    }

    /**
     * @param from first image, inclusive
     * @param to last image, exclusive
     * @return a copy of images {@code [from, to)}, with the same name and classes
     */
    public ImageSet slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new DatasetException(name + ": bad slice [" + from + ", " + to + ") of " + size() + " images");
        }
        int n = imageBytes();
        return new ImageSet(name, channels, height, width,
            Arrays.copyOfRange(pixels, from * n, to * n), Arrays.copyOfRange(labels, from, to), numClasses);
    }

    /**
     * @param indices images to keep, in output order (repeats allowed)
     * @return a copy holding those images, with the same name and classes
     */
    public ImageSet select(int[] indices) {
        int n = imageBytes();
        byte[] p = new byte[indices.length * n];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size()) {
                throw new DatasetException(name + ": select index " + i + " out of range [0, " + size() + ")");
            }
            System.arraycopy(pixels, i * n, p, k * n, n);
            l[k] = labels[i];
        }
        return new ImageSet(name, channels, height, width, p, l, numClasses);
    }

    /**
     * @param newName the new name
     * @return the same images and labels (shared arrays) under another name
     */
    public ImageSet withName(String newName) {
        return new ImageSet(newName, channels, height, width, pixels, labels, numClasses);
    }

    /**
     * @param newPixels images of the same count and shape (a pixel-wise derivation)
     * @return those images with this set's name and labels (shared)
     */
    public ImageSet withPixels(byte[] newPixels) {
        return new ImageSet(name, channels, height, width, newPixels, labels, numClasses);
    }

    @Override
    public String toString() {
        return name + "[" + size() + " x " + channels + "x" + height + "x" + width + ", " + numClasses + " classes]";
    }
}
