package org.munet.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every hyperparameter key of the reference (spec §1.3) with its value type. Unknown keys are
 * errors: a typo in a config must not silently become an unused hyperparameter.
 */
public final class HparamKeys {

    public static final String MU = "_mu_";
    public static final String NUM_CLASSES = "num_classes";
    public static final String ADAPTER_LAYERS = "adapter_layers";
    public static final String NUM_LAYERS = "num_layers";
    public static final String ADAPTER_DIM = "adapter_dim";
    public static final String OPT_LR = "opt_lr";
    public static final String OPT_LR_SCHEDULE = "opt_lr_schedule";
    public static final String OPT_LR_WARMUP_RATIO = "opt_lr_warmup_ratio";
    public static final String OPT_MOMENTUM = "opt_momentum";
    public static final String OPT_NESTEROV = "opt_nesterov";
    public static final String DS_IMAGE_SIZE = "ds_image_size";
    public static final String DS_CROP = "ds_crop";
    public static final String DS_AREA_RANGE_MIN = "ds_area_range_min";
    public static final String DS_ASPECT_RATIO_RANGE_MIN = "ds_aspect_ratio_range_min";
    public static final String DS_FLIP_LEFT_RIGHT = "ds_flip_left_right";
    public static final String DS_BRIGHTNESS_DELTA = "ds_brightness_delta";
    public static final String DS_CONTRAST_DELTA = "ds_contrast_delta";
    public static final String DS_SATURATION_DELTA = "ds_saturation_delta";
    public static final String DS_HUE_DELTA = "ds_hue_delta";

    private enum Type { DOUBLE, INT, BOOLEAN, STRING }

    private static final Map<String, Type> TYPES = Map.ofEntries(
            Map.entry(MU, Type.DOUBLE),
            Map.entry(NUM_CLASSES, Type.INT),
            Map.entry(ADAPTER_LAYERS, Type.STRING),
            Map.entry(NUM_LAYERS, Type.INT),
            Map.entry(ADAPTER_DIM, Type.INT),
            Map.entry(OPT_LR, Type.DOUBLE),
            Map.entry(OPT_LR_SCHEDULE, Type.STRING),
            Map.entry(OPT_LR_WARMUP_RATIO, Type.DOUBLE),
            Map.entry(OPT_MOMENTUM, Type.DOUBLE),
            Map.entry(OPT_NESTEROV, Type.BOOLEAN),
            Map.entry(DS_IMAGE_SIZE, Type.INT),
            Map.entry(DS_CROP, Type.BOOLEAN),
            Map.entry(DS_AREA_RANGE_MIN, Type.DOUBLE),
            Map.entry(DS_ASPECT_RATIO_RANGE_MIN, Type.DOUBLE),
            Map.entry(DS_FLIP_LEFT_RIGHT, Type.BOOLEAN),
            Map.entry(DS_BRIGHTNESS_DELTA, Type.DOUBLE),
            Map.entry(DS_CONTRAST_DELTA, Type.DOUBLE),
            Map.entry(DS_SATURATION_DELTA, Type.DOUBLE),
            Map.entry(DS_HUE_DELTA, Type.DOUBLE));

    private HparamKeys() {}

    public static boolean isKnown(String key) {
        return TYPES.containsKey(key);
    }

    public static List<String> known() {
        List<String> keys = new ArrayList<>(TYPES.keySet());
        keys.sort(null);
        return keys;
    }

    /** The data-pipeline keys, shared by a whole generation (spec §3.7). */
    public static boolean isDataKey(String key) {
        return key.startsWith("ds_");
    }

    static Object normalise(String key, Object value) {
        Type type = TYPES.get(key);
        if (type == null) {
            throw new IllegalArgumentException("unknown hyperparameter '" + key + "'; known: " + known());
        }
        if (value == null) {
            throw new IllegalArgumentException("hyperparameter '" + key + "' has no value");
        }
        switch (type) {
            case DOUBLE:
                if (value instanceof Number n) {
                    return n.doubleValue();
                }
                break;
            case INT:
                if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                    return n.intValue();
                }
                break;
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                break;
            case STRING:
                return value.toString();
            default:
                break;
        }
        throw new IllegalArgumentException("hyperparameter '" + key + "' must be "
                + type.name().toLowerCase(java.util.Locale.ROOT) + ", got " + value);
    }
}
