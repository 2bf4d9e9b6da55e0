package org.munet.data;

import java.util.SplittableRandom;

/**
 * Turns one stored image into one model input, in the reference's order.
 *
 * <ol>
 *   <li>Cast to float and scale to [-1, 1] with {@code x/127.5 - 1}.</li>
 *   <li>Training only:
 *     <ol type="a">
 *       <li>if {@code crop} and {@code areaRangeMin < 1}: Inception-style random distorted crop
 *           ({@link #sampleCrop});</li>
 *       <li>if {@code flipLeftRight}: horizontal flip with probability 0.5;</li>
 *       <li>colour: brightness adds {@code uniform(-d, d)}; contrast multiplies each pixel's
 *           deviation from the per-channel image mean by {@code uniform(1-d, 1+d)}; saturation
 *           (3-channel sources only) blends each pixel with its grayscale value by
 *           {@code uniform(1-d, 1+d)}; hue is not implemented.</li>
 *     </ol></li>
 *   <li>All modes: bilinear resize of the (possibly cropped) region to
 *       {@code imageSize x imageSize} with half-pixel centres (as {@code tf.image.resize} bilinear
 *       without antialiasing), then clip to [-1, 1].</li>
 * </ol>
 *
 * <p>Implementation: crop, flip, resize, brightness/contrast and clip are done in one separable
 * bilinear sampling pass straight from the uint8 source (saturation, 3-channel only, in a second
 * pass). That is equivalent to the reference order, not an approximation: flip commutes with
 * half-pixel resampling (the sample grid is symmetric), and brightness, contrast and saturation
 * are affine per pixel, so they commute with bilinear interpolation, whose weights sum to 1. Only
 * the contrast mean must be taken over the cropped region before resizing, and it is. Brightness
 * before contrast folds into {@code y = a*(x - mean) + mean + b}.
 *
 * <p>Grayscale: with one source channel, saturation and hue change nothing (every pixel is its
 * own grayscale value), so they are skipped and draw no random numbers. For 3-channel sources
 * saturation is a blend with grayscale (ITU-R 601 luma weights), not TF's HSV scaling, and hue
 * is skipped: the built-in datasets have no colour, and an HSV round trip per pixel was not worth
 * its cost for them (colour image folders get no hue augmentation).
 *
 * <p>Output: C-H-W floats; {@code outChannels} is the source's channel count, 3 for a
 * grayscale source (tiled, as ViT checkpoints expect RGB), or 1 for an RGB source (a 1-channel
 * model fed a colour dataset): then the luma {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R 601) of
 * the three preprocessed channels, i.e. all steps above run on the RGB image in a scratch buffer
 * and the luma is taken last. The weights sum to 1, so the luma of values in [-1, 1] stays there
 * and equals the luma of the uint8 values scaled; saturation, which keeps the luma, is still drawn
 * and applied (so the random stream is the same as for a 3-channel output).
 *
 * <p>Not thread-safe: it reuses scratch arrays so that {@link #fill} allocates nothing per call.
 * Use one instance per stream/thread.
 */
public final class Preprocessor {

    /** {@code SCALED[v] = v/127.5f - 1}: the reference's scaling, exact and without a division. */
    private static final float[] SCALED = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            SCALED[v] = v / 127.5f - 1f;
        }
    }

    private float[] rows = new float[0];
    private int[] xLo = new int[0];
    private int[] xHi = new int[0];
    private float[] xLerp = new float[0];
    private final int[] box = new int[4];
    private float[] mean = new float[3];
    private float[] rgb = new float[0];

    /** ITU-R 601 luma weights (they sum to 1). */
    private static final float LUMA_R = 0.299f;
    private static final float LUMA_G = 0.587f;
    private static final float LUMA_B = 0.114f;

    /**
     * Preprocesses image {@code index} of {@code set} into {@code out[offset ...]}.
     *
     * @param set source images
     * @param index which image
     * @param h data hyperparameters
     * @param training apply the random augmentations
     * @param outChannels 1 (native grayscale, or the luma of an RGB source) or 3 (RGB, or
     *     grayscale tiled)
     * @param rng randomness for the augmentations; unused (may be null) when not training
     * @param out destination
     * @param offset where the {@code outChannels*imageSize*imageSize} floats start
     * @throws DatasetException if the channel request cannot be met
     */
    public void fill(ImageSet set, int index, DataHparams h, boolean training, int outChannels,
                     SplittableRandom rng, float[] out, int offset) {
        int c = set.channels();
        int height = set.height();
        int width = set.width();
        boolean luma = c == 3 && outChannels == 1;
        if (outChannels != c && !(c == 1 && outChannels == 3) && !luma) {
            throw new DatasetException(set.name() + ": cannot produce " + outChannels + " channels from "
                + c + "-channel images (supported: the same count, 1 tiled to 3, or 3 to 1 as ITU-R 601 luma)");
        }
        int s = h.imageSize();
        int plane = s * s;

        // (a) crop box {y0, x0, h, w}; whole image unless training with crop.
        if (training && h.crop() && h.areaRangeMin() < 1) {
            sampleCrop(height, width, h.areaRangeMin(), h.aspectRatioRangeMin(), rng, box);
        } else {
            box[0] = 0;
            box[1] = 0;
            box[2] = height;
            box[3] = width;
        }
        // (b) flip; (c) colour factors. Drawn in this fixed order so a seed replays exactly.
        boolean flip = training && h.flipLeftRight() && rng.nextBoolean();
        float brightness = 0f;
        float contrast = 1f;
        float saturation = 1f;
        if (training) {
            if (h.brightnessDelta() > 0) {
                brightness = (float) rng.nextDouble(-h.brightnessDelta(), h.brightnessDelta());
            }
            if (h.contrastDelta() > 0) {
                contrast = (float) rng.nextDouble(1 - h.contrastDelta(), 1 + h.contrastDelta());
            }
            if (c == 3 && h.saturationDelta() > 0) {
                saturation = (float) rng.nextDouble(1 - h.saturationDelta(), 1 + h.saturationDelta());
            }
            // Hue: not implemented (see class doc); a no-op for grayscale anyway.
        }

        boolean colour = brightness != 0f || contrast != 1f;
        if (colour) {
            channelMeans(set, index);
        }
        boolean saturate = saturation != 1f;
        // An RGB source for a 1-channel output is preprocessed as RGB into a scratch buffer.
        float[] dst = out;
        int at = offset;
        if (luma) {
            if (rgb.length < 3 * plane) {
                rgb = new float[3 * plane];
            }
            dst = rgb;
            at = 0;
        }
        resample(set, index, s, flip, colour, contrast, brightness, !saturate, dst, at);
        if (saturate) {
            for (int i = 0; i < plane; i++) {
                int r = at + i;
                float gray = LUMA_R * dst[r] + LUMA_G * dst[r + plane] + LUMA_B * dst[r + 2 * plane];
                for (int ch = 0; ch < 3; ch++) {
                    int k = r + ch * plane;
                    float v = gray + saturation * (dst[k] - gray);
                    dst[k] = v < -1f ? -1f : (v > 1f ? 1f : v);
                }
            }
        }
        if (luma) {
            for (int i = 0; i < plane; i++) {
                float v = LUMA_R * rgb[i] + LUMA_G * rgb[i + plane] + LUMA_B * rgb[i + 2 * plane];
                // Rounding may put a convex combination of values in [-1, 1] a hair outside.
                out[offset + i] = v < -1f ? -1f : (v > 1f ? 1f : v);
            }
        }
        if (outChannels == 3 && c == 1) {
            System.arraycopy(out, offset, out, offset + plane, plane);
            System.arraycopy(out, offset, out, offset + 2 * plane, plane);
        }
    }

    /**
     * Bilinear, half-pixel-centre resample of the crop box to s x s, in [-1, 1] units, flipped if
     * asked, then (fused, to touch the output once) brightness/contrast and the final clip.
     *
     * <p>Separable: each source row of the box is first interpolated horizontally into
     * {@link #rows}, then output rows blend two of those. The arithmetic is TF's
     * ({@code top + (bottom - top) * lerp}, float, scale first), so with an identity geometry every
     * weight is 0 and the output is exactly {@code x/127.5f - 1}.
     */
    private void resample(ImageSet set, int index, int s, boolean flip, boolean colour, float contrast,
                          float brightness, boolean clip, float[] out, int offset) {
        int c = set.channels();
        int height = set.height();
        int width = set.width();
        int y0 = box[0];
        int x0 = box[1];
        int bh = box[2];
        int bw = box[3];
        if (xLo.length < s) {
            xLo = new int[s];
            xHi = new int[s];
            xLerp = new float[s];
        }
        if (rows.length < bh * s) {
            rows = new float[bh * s];
        }
        // Same arithmetic as TF's compute_interpolation_weights with HalfPixelScaler, in float.
        // A flip only reverses which output column each sample lands in (the grid is symmetric).
        float sx = (float) bw / s;
        for (int ox = 0; ox < s; ox++) {
            float in = (ox + 0.5f) * sx - 0.5f;
            float fl = (float) Math.floor(in);
            int dst = flip ? s - 1 - ox : ox;
            xLo[dst] = x0 + Math.max((int) fl, 0);
            xHi[dst] = x0 + Math.min((int) Math.ceil(in), bw - 1);
            xLerp[dst] = in - fl;
        }
        float sy = (float) bh / s;
        byte[] px = set.pixels();
        int plane = s * s;
        if (bh == s && bw == s && height == s && width == s && !colour) {
            copyScaled(px, index, c, s, flip, out, offset);
            return;
        }
        for (int ch = 0; ch < c; ch++) {
            int src = (index * c + ch) * height * width;
            for (int r = 0; r < bh; r++) {
                int srcRow = src + (y0 + r) * width;
                int hr = r * s;
                for (int ox = 0; ox < s; ox++) {
                    float p0 = SCALED[px[srcRow + xLo[ox]] & 0xff];
                    float p1 = SCALED[px[srcRow + xHi[ox]] & 0xff];
                    rows[hr + ox] = p0 + (p1 - p0) * xLerp[ox];
                }
            }
            float m = mean[ch];
            int dst = offset + ch * plane;
            for (int oy = 0; oy < s; oy++) {
                float in = (oy + 0.5f) * sy - 0.5f;
                float fl = (float) Math.floor(in);
                int top = Math.max((int) fl, 0) * s;
                int bottom = Math.min((int) Math.ceil(in), bh - 1) * s;
                float ly = in - fl;
                int row = dst + oy * s;
                for (int ox = 0; ox < s; ox++) {
                    float t = rows[top + ox];
                    float v = t + (rows[bottom + ox] - t) * ly;
                    if (colour) {
                        v = contrast * (v - m) + m + brightness;
                    }
                    if (clip) {
                        v = v < -1f ? -1f : (v > 1f ? 1f : v);
                    }
                    out[row + ox] = v;
                }
            }
        }
    }

    /**
     * The identity geometry without colour changes: every interpolation weight would be 0 and the
     * clip a no-op, so each output is exactly {@code SCALED[pixel]}, written directly (a training
     * step's batch of MNIST took 0.6 ms through the general resample).
     */
    private static void copyScaled(byte[] px, int index, int c, int s, boolean flip, float[] out, int offset) {
        int plane = s * s;
        for (int ch = 0; ch < c; ch++) {
            int src = (index * c + ch) * plane;
            int dst = offset + ch * plane;
            for (int y = 0; y < s; y++) {
                int row = y * s;
                for (int x = 0; x < s; x++) {
                    out[dst + row + (flip ? s - 1 - x : x)] = SCALED[px[src + row + x] & 0xff];
                }
            }
        }
    }

    /** Per-channel mean of the crop box, in [-1, 1] units, into {@link #mean}. */
    private void channelMeans(ImageSet set, int index) {
        int c = set.channels();
        int height = set.height();
        int width = set.width();
        byte[] px = set.pixels();
        if (mean.length < c) {
            mean = new float[c];
        }
        for (int ch = 0; ch < c; ch++) {
            int src = (index * c + ch) * height * width;
            long sum = 0;
            for (int y = box[0]; y < box[0] + box[2]; y++) {
                int row = src + y * width;
                for (int x = box[1]; x < box[1] + box[3]; x++) {
                    sum += px[row + x] & 0xff;
                }
            }
            mean[ch] = (float) ((double) sum / ((long) box[2] * box[3]) / 127.5 - 1);
        }
    }

    /**
     * Samples an Inception-style distorted crop box.
     *
     * <p>Up to 10 attempts: area fraction {@code uniform[areaMin, 1]}, aspect ratio (width/height,
     * relative to the image's) log-uniform in {@code [aspectMin, 1/aspectMin]} so that ratios
     * {@code r} and {@code 1/r} are equally likely; box {@code w = round(sqrt(area*ar)*width)},
     * {@code h = round(sqrt(area/ar)*height)}. The first box that fits inside the image is placed
     * uniformly at random; if none fits, the whole image is used. (TF's
     * {@code sample_distorted_bounding_box} draws the ratio uniformly and then the height; this is
     * the torchvision {@code RandomResizedCrop} scheme, chosen for its documented distribution.)
     *
     * @param height image rows
     * @param width image columns
     * @param areaMin smallest area fraction, in (0, 1]
     * @param aspectMin smallest aspect ratio, in (0, 1]
     * @param rng randomness
     * @param box receives {@code {y0, x0, h, w}}
     */
    public static void sampleCrop(int height, int width, double areaMin, double aspectMin,
                                  SplittableRandom rng, int[] box) {
        double logMin = Math.log(aspectMin);
        double logMax = -logMin;
        for (int attempt = 0; attempt < 10; attempt++) {
            double area = areaMin + (1 - areaMin) * rng.nextDouble();
            double ar = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int w = (int) Math.round(Math.sqrt(area * ar) * width);
            int h = (int) Math.round(Math.sqrt(area / ar) * height);
            if (w >= 1 && h >= 1 && w <= width && h <= height) {
                box[0] = rng.nextInt(height - h + 1);
                box[1] = rng.nextInt(width - w + 1);
                box[2] = h;
                box[3] = w;
                return;
            }
        }
        box[0] = 0;
        box[1] = 0;
        box[2] = height;
        box[3] = width;
    }

    /**
     * Preprocesses {@code count} examples into a new batch.
     *
     * @param set source images
     * @param order example indices, or null for the identity
     * @param from first position in {@code order} (or first index)
     * @param count batch size
     * @param h data hyperparameters
     * @param training apply augmentation
     * @param outChannels output channels
     * @param rng augmentation randomness (unused when not training)
     * @return the batch
     */
    public Batch batch(ImageSet set, int[] order, int from, int count, DataHparams h, boolean training,
                       int outChannels, SplittableRandom rng) {
        int s = h.imageSize();
        int per = outChannels * s * s;
        float[] images = new float[count * per];
        int[] labels = new int[count];
        for (int k = 0; k < count; k++) {
            int i = order == null ? from + k : order[from + k];
            fill(set, i, h, training, outChannels, rng, images, k * per);
            labels[k] = set.labels()[i];
        }
        return new Batch(images, labels, count, outChannels, s);
    }
}
