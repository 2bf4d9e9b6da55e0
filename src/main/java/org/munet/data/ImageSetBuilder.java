package org.munet.data;

import java.util.List;

/**
 * Turns a split's decoded images into one {@link ImageSet} of a single geometry: gray images are
 * tiled to RGB when any image of the split is in colour.
 *
 * <p>Images of one split must share their size today (TODO: mixed sizes).
 */
public final class ImageSetBuilder {

    private ImageSetBuilder() {}

    /**
     * @param name the split's name for messages, e.g. {@code pets/train}
     * @param images decoded images
     * @param labels one label per image
     * @param numClasses the task's class count
     * @param channels the split's channel count (1, or 3 when any image of the task is in colour)
     */
    public static ImageSet build(String name, List<DecodedImage> images, int[] labels, int numClasses, int channels) {
        if (images.isEmpty()) {
            return new ImageSet(name, channels, 1, 1, new byte[0], labels, numClasses);
        }
        int h = images.get(0).height();
        int w = images.get(0).width();
        int per = channels * h * w;
        byte[] pixels = new byte[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            DecodedImage d = images.get(i);
            if (d.height() != h || d.width() != w) {
                throw new DatasetException(name + ": image " + i + " is " + d.width() + "x" + d.height()
                        + " but the first is " + w + "x" + h);
            }
            if (d.channels() == channels) {
                System.arraycopy(d.pixels(), 0, pixels, i * per, per);
            } else {
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(d.pixels(), 0, pixels, i * per + c * h * w, h * w);
                }
            }
        }
        return new ImageSet(name, channels, h, w, pixels, labels, numClasses);
    }
}
