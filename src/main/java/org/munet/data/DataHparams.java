package org.munet.data;

/**
 * The data hyperparameters of the reference, one component per spec key.
 *
 * @param imageSize {@code ds_image_size}: side of the square model input, in pixels
 * @param crop {@code ds_crop}: Inception-style random distorted crop during training
 * @param areaRangeMin {@code ds_area_range_min}: smallest crop area, as a fraction of the image,
 *     in (0, 1]; 1 disables cropping
 * @param aspectRatioRangeMin {@code ds_aspect_ratio_range_min}: crop aspect ratios range over
 *     [min, 1/min]; in (0, 1]
 * @param flipLeftRight {@code ds_flip_left_right}: random horizontal flip during training
 * @param brightnessDelta {@code ds_brightness_delta}: max brightness shift, in [-1, 1] pixel units
 * @param contrastDelta {@code ds_contrast_delta}: contrast factor range [1-d, 1+d]
 * @param saturationDelta {@code ds_saturation_delta}: saturation factor range [1-d, 1+d]
 *     (no-op on grayscale)
 * @param hueDelta {@code ds_hue_delta}: hue shift (not implemented; see {@link Preprocessor})
 */
public record DataHparams(int imageSize, boolean crop, double areaRangeMin, double aspectRatioRangeMin,
                          boolean flipLeftRight, double brightnessDelta, double contrastDelta,
                          double saturationDelta, double hueDelta) {

    /** Rejects values the augmentations cannot honour, naming the spec key. */
    public DataHparams {
        if (imageSize <= 0) {
            throw new DatasetException("ds_image_size must be positive, got " + imageSize);
        }
        if (!(areaRangeMin > 0 && areaRangeMin <= 1)) {
            throw new DatasetException("ds_area_range_min must be in (0, 1], got " + areaRangeMin);
        }
        if (!(aspectRatioRangeMin > 0 && aspectRatioRangeMin <= 1)) {
            throw new DatasetException("ds_aspect_ratio_range_min must be in (0, 1], got " + aspectRatioRangeMin);
        }
        checkDelta("ds_brightness_delta", brightnessDelta);
        checkDelta("ds_contrast_delta", contrastDelta);
        checkDelta("ds_saturation_delta", saturationDelta);
        checkDelta("ds_hue_delta", hueDelta);
    }

    private static void checkDelta(String key, double value) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new DatasetException(key + " must be a finite value >= 0, got " + value);
        }
    }

    /**
     * The reference defaults: crop on with area_min 0.05 and aspect_min 0.75, flip on, no colour
     * jitter.
     *
     * @param imageSize {@code ds_image_size}
     * @return the default hyperparameters
     */
    public static DataHparams defaults(int imageSize) {
        return new DataHparams(imageSize, true, 0.05, 0.75, true, 0, 0, 0, 0);
    }

    /**
     * No augmentation at all: training preprocessing equals evaluation preprocessing (scale and
     * resize only).
     *
     * @param imageSize {@code ds_image_size}
     * @return hyperparameters with every augmentation off
     */
    public static DataHparams none(int imageSize) {
        return new DataHparams(imageSize, false, 1.0, 1.0, false, 0, 0, 0, 0);
    }
}
