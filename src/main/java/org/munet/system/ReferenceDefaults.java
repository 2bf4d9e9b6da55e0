package org.munet.system;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference's small-config values (spec §8.2), the one place they are written down: the
 * backbone a config gets when its {@code model} section leaves a key out, and the root path's
 * hyperparameters before a config's {@code hparams} section overrides any of them. The nn and data
 * records' {@code defaults()} and every test fixture derive from here, so they cannot drift apart.
 */
public final class ReferenceDefaults {

    /** {@code model.image_size}: 28x28 digits and clothes. */
    public static final int IMAGE_SIZE = 28;
    /** {@code model.num_layers}: encoder blocks of the root path. */
    public static final int NUM_LAYERS = 3;
    /** The tiny ViT's other dimensions: 7x7 patches, grayscale, width 64, MLP 128, 4 heads. */
    public static final ModelDims DIMS = new ModelDims(7, 1, 64, 128, 4);

    private ReferenceDefaults() {}

    /**
     * The root path's default hyperparameters for a backbone of the given image size and depth, in
     * the reference's key order.
     */
    public static Map<String, Object> hparams(int imageSize, int numLayers) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put(HparamKeys.MU, 0.2);
        h.put(HparamKeys.NUM_CLASSES, 2); // the root's head is never reused (spec §1.5)
        h.put(HparamKeys.ADAPTER_LAYERS, "");
        h.put(HparamKeys.NUM_LAYERS, numLayers);
        h.put(HparamKeys.ADAPTER_DIM, 16);
        h.put(HparamKeys.OPT_LR, 0.01);
        h.put(HparamKeys.OPT_LR_SCHEDULE, "cosine");
        h.put(HparamKeys.OPT_LR_WARMUP_RATIO, 0.1);
        h.put(HparamKeys.OPT_MOMENTUM, 0.9);
        h.put(HparamKeys.OPT_NESTEROV, false);
        h.put(HparamKeys.DS_IMAGE_SIZE, imageSize);
        h.put(HparamKeys.DS_CROP, true);
        h.put(HparamKeys.DS_AREA_RANGE_MIN, 0.05);
        h.put(HparamKeys.DS_ASPECT_RATIO_RANGE_MIN, 0.75);
        h.put(HparamKeys.DS_FLIP_LEFT_RIGHT, true);
        h.put(HparamKeys.DS_BRIGHTNESS_DELTA, 0.0);
        h.put(HparamKeys.DS_CONTRAST_DELTA, 0.0);
        h.put(HparamKeys.DS_SATURATION_DELTA, 0.0);
        h.put(HparamKeys.DS_HUE_DELTA, 0.0);
        return h;
    }

    /** {@link #hparams(int, int)} of the default backbone, as hyperparameters. */
    public static Hyperparams hyperparams() {
        return Hyperparams.of(hparams(IMAGE_SIZE, NUM_LAYERS));
    }
}
