package org.munet.data;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a task's decoded images into {@link ImageSet}s of one geometry for the whole task, as
 * {@link TaskData} requires of its splits.
 *
 * <p>Channels: 3 when any image of the task is in colour (gray images are then tiled to RGB),
 * else 1 ({@link #channels}).
 *
 * <p>Size: images of any size are accepted. The task's size is the most common (modal) size among
 * all its images, ties broken by the larger area, then the larger height ({@link #commonSize}); an
 * image of another size is resized to it, bilinearly with half-pixel centres and no antialiasing,
 * rounding to the nearest uint8 ({@link #resize}: {@code tf.image.resize(method="bilinear")} then
 * {@code round}).
 *
 * <p><b>Deviation from the reference</b> (named): the reference crops the original image; here a
 * crop is taken from the image resized to the task's common size, because an ImageSet has one
 * geometry. For a dataset of one size (MNIST, most benchmark sets) nothing changes; for a set of
 * photos of mixed sizes the crop sees one more resampling, and an image of another aspect ratio
 * is stretched to the common one before cropping.
 */
public final class ImageSetBuilder {

    private ImageSetBuilder() {}

    /**
     * A height and width.
     *
     * @param height rows
     * @param width columns
     */
    public record Size(int height, int width) {

        public Size {
            if (height <= 0 || width <= 0) {
                throw new IllegalArgumentException("size " + width + "x" + height + " must be positive");
            }
        }

        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    /**
     * The modal size over all images of a task; ties: the larger area, then the larger height.
     *
     * @param splits the task's images, any number of collections (e.g. one per split)
     * @return the size, or null when there are no images
     */
    public static Size commonSize(Collection<? extends Collection<DecodedImage>> splits) {
        Map<Size, Integer> counts = new HashMap<>();
        for (Collection<DecodedImage> split : splits) {
            for (DecodedImage d : split) {
                counts.merge(new Size(d.height(), d.width()), 1, Integer::sum);
            }
        }
        Size best = null;
        int bestCount = 0;
        for (Map.Entry<Size, Integer> e : counts.entrySet()) {
            Size s = e.getKey();
            int n = e.getValue();
            if (best == null || n > bestCount || (n == bestCount && isLarger(s, best))) {
                best = s;
                bestCount = n;
            }
        }
        return best;
    }

    private static boolean isLarger(Size a, Size b) {
        long areaA = (long) a.height() * a.width();
        long areaB = (long) b.height() * b.width();
        return areaA != areaB ? areaA > areaB : a.height() > b.height();
    }

    /**
     * @param splits the task's images
     * @return 3 when any image is in colour, else 1
     */
    public static int channels(Collection<? extends Collection<DecodedImage>> splits) {
        for (Collection<DecodedImage> split : splits) {
            for (DecodedImage d : split) {
                if (d.channels() == 3) {
                    return 3;
                }
            }
        }
        return 1;
    }

    /**
     * Builds one split at the split's own modal size; use {@link #build(String, List, int[], int, int,
     * Size)} with {@link #commonSize} of all splits so that a task's splits share one size.
     *
     * @param name the split's name for messages, e.g. {@code pets/train}
     * @param images decoded images
     * @param labels one label per image
     * @param numClasses the task's class count
     * @param channels the split's channel count (1, or 3 when any image of the task is in colour)
     */
    public static ImageSet build(String name, List<DecodedImage> images, int[] labels, int numClasses, int channels) {
        return build(name, images, labels, numClasses, channels, commonSize(List.of(images)));
    }

    /**
     * @param name the split's name for messages, e.g. {@code pets/train}
     * @param images decoded images
     * @param labels one label per image
     * @param numClasses the task's class count
     * @param channels the task's channel count: 1, or 3 (gray images are tiled)
     * @param size the task's size (images of another size are resized to it); may be null only
     *     when {@code images} is empty
     * @throws DatasetException if the channels cannot be met (a colour image for 1 channel) or the
     *     label count differs from the image count
     */
    public static ImageSet build(String name, List<DecodedImage> images, int[] labels, int numClasses, int channels,
                                 Size size) {
        if (labels.length != images.size()) {
            throw new DatasetException(name + ": " + images.size() + " images but " + labels.length + " labels");
        }
        if (images.isEmpty()) {
            return size == null
                ? new ImageSet(name, channels, 1, 1, new byte[0], labels, numClasses)
                : new ImageSet(name, channels, size.height(), size.width(), new byte[0], labels, numClasses);
        }
        int h = size.height();
        int w = size.width();
        int plane = h * w;
        long total = (long) images.size() * channels * plane;
        if (total > Integer.MAX_VALUE - 8) {
            throw new DatasetException(name + ": " + images.size() + " images of " + channels + "x" + size
                + " are " + total + " bytes, more than one array holds (2 GiB); use fewer or smaller images");
        }
        int per = channels * plane;
        byte[] pixels = new byte[(int) total];
        for (int i = 0; i < images.size(); i++) {
            DecodedImage d = images.get(i);
            if (d.channels() > channels) {
                throw new DatasetException(name + ": image " + i + " has " + d.channels() + " channels but the"
                    + " task has " + channels);
            }
            byte[] src = d.height() == h && d.width() == w
                ? d.pixels()
                : resize(d.pixels(), d.channels(), d.height(), d.width(), h, w);
            if (d.channels() == channels) {
                System.arraycopy(src, 0, pixels, i * per, per);
            } else {
                for (int c = 0; c < channels; c++) {
                    System.arraycopy(src, 0, pixels, i * per + c * plane, plane);
                }
            }
        }
        return new ImageSet(name, channels, h, w, pixels, labels, numClasses);
    }

    /**
     * Bilinear resize with half-pixel centres and no antialiasing, as {@code tf.image.resize}
     * ({@code method="bilinear", antialias=False}) computes it in float, rounded to the nearest
     * uint8 (halves away from zero).
     *
     * @param src {@code c*h*w} bytes, C-H-W
     * @param c channels
     * @param h source rows
     * @param w source columns
     * @param oh output rows
     * @param ow output columns
     * @return {@code c*oh*ow} bytes, C-H-W
     */
    public static byte[] resize(byte[] src, int c, int h, int w, int oh, int ow) {
        int[] xLo = new int[ow];
        int[] xHi = new int[ow];
        float[] xLerp = new float[ow];
        weights(w, ow, xLo, xHi, xLerp);
        int[] yLo = new int[oh];
        int[] yHi = new int[oh];
        float[] yLerp = new float[oh];
        weights(h, oh, yLo, yHi, yLerp);
        byte[] out = new byte[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            int in = ch * h * w;
            int o = ch * oh * ow;
            for (int y = 0; y < oh; y++) {
                int top = in + yLo[y] * w;
                int bottom = in + yHi[y] * w;
                float ly = yLerp[y];
                for (int x = 0; x < ow; x++) {
                    float tl = src[top + xLo[x]] & 0xff;
                    float tr = src[top + xHi[x]] & 0xff;
                    float bl = src[bottom + xLo[x]] & 0xff;
                    float br = src[bottom + xHi[x]] & 0xff;
                    float t = tl + (tr - tl) * xLerp[x];
                    float b = bl + (br - bl) * xLerp[x];
                    float v = t + (b - t) * ly;
                    int r = Math.round(v);
                    out[o + y * ow + x] = (byte) (r < 0 ? 0 : Math.min(r, 255));
                }
            }
        }
        return out;
    }

    /** TF's {@code compute_interpolation_weights} with the half-pixel scaler, in float. */
    private static void weights(int in, int out, int[] lo, int[] hi, float[] lerp) {
        float scale = (float) in / out;
        for (int i = 0; i < out; i++) {
            float x = (i + 0.5f) * scale - 0.5f;
            float fl = (float) Math.floor(x);
            lo[i] = Math.max((int) fl, 0);
            hi[i] = Math.min((int) Math.ceil(x), in - 1);
            lerp[i] = x - fl;
        }
    }
}
