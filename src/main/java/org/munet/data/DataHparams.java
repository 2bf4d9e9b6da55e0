package org.munet.data;

import java.util.Optional;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ReferenceDefaults;

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

    /** Rejects values the augmentations cannot honour, naming the spec key (ranges: {@link HparamKeys}). */
    public DataHparams {
        check(HparamKeys.DS_IMAGE_SIZE, imageSize);
        check(HparamKeys.DS_AREA_RANGE_MIN, areaRangeMin);
        check(HparamKeys.DS_ASPECT_RATIO_RANGE_MIN, aspectRatioRangeMin);
        check(HparamKeys.DS_BRIGHTNESS_DELTA, brightnessDelta);
        check(HparamKeys.DS_CONTRAST_DELTA, contrastDelta);
        check(HparamKeys.DS_SATURATION_DELTA, saturationDelta);
        check(HparamKeys.DS_HUE_DELTA, hueDelta);
    }

    /** As a {@link DatasetException}: a setting the data pipeline cannot honour is a data error. */
    private static void check(String key, Object value) {
        Optional<String> problem = HparamKeys.violation(key, value);
        if (problem.isPresent()) {
            throw new DatasetException(problem.get());
        }
    }

    /** The {@code ds_*} values of {@code h}. */
    public static DataHparams of(Hyperparams h) {
        return new DataHparams(h.getInt(HparamKeys.DS_IMAGE_SIZE), h.getBoolean(HparamKeys.DS_CROP),
                h.getDouble(HparamKeys.DS_AREA_RANGE_MIN), h.getDouble(HparamKeys.DS_ASPECT_RATIO_RANGE_MIN),
                h.getBoolean(HparamKeys.DS_FLIP_LEFT_RIGHT), h.getDouble(HparamKeys.DS_BRIGHTNESS_DELTA),
                h.getDouble(HparamKeys.DS_CONTRAST_DELTA), h.getDouble(HparamKeys.DS_SATURATION_DELTA),
                h.getDouble(HparamKeys.DS_HUE_DELTA));
    }

    /**
     * The reference defaults ({@link ReferenceDefaults}): crop on with area_min 0.05 and aspect_min
     * 0.75, flip on, no colour jitter.
     *
     * @param imageSize {@code ds_image_size}
     * @return the default hyperparameters
     */
    public static DataHparams defaults(int imageSize) {
        return of(Hyperparams.of(ReferenceDefaults.hparams(imageSize, ReferenceDefaults.NUM_LAYERS)));
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
