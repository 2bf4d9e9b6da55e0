package org.munet.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every hyperparameter key of the reference (spec §1.3) with its value type and, where the
 * reference constrains it, its range. Unknown keys are errors: a typo in a config must not silently
 * become an unused hyperparameter. The ranges live here alone: the config checks its defaults
 * against them before anything starts, and the typed records of nn and data (optimizer and data
 * hyperparameters) enforce the same ones in their constructors.
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

    /** The values {@code opt_lr_schedule} takes (the names of nn's learning-rate schedules). */
    public static final List<String> LR_SCHEDULES = List.of("constant", "cosine", "restarts");

    private enum Type { DOUBLE, INT, BOOLEAN, STRING }

    /** A key's allowed values, as said in messages ("must be in [0, 1)") and as a test. */
    private record Range(String description, Predicate<Object> contains) {
        static Range unitInterval(boolean closedLeft, boolean closedRight) {
            return new Range("in " + (closedLeft ? "[" : "(") + "0, 1" + (closedRight ? "]" : ")"), v -> {
                double d = ((Number) v).doubleValue();
                return (closedLeft ? d >= 0 : d > 0) && (closedRight ? d <= 1 : d < 1);
            });
        }

        static Range delta() {
            return new Range("a finite value >= 0", v -> ((Number) v).doubleValue() >= 0
                    && ((Number) v).doubleValue() < Double.POSITIVE_INFINITY);
        }
    }

    private static final Map<String, Range> RANGES = Map.ofEntries(
            Map.entry(MU, Range.unitInterval(true, true)),
            Map.entry(ADAPTER_DIM, new Range("at least 1", v -> ((Number) v).intValue() >= 1)),
            Map.entry(OPT_LR, new Range("a positive number", v -> ((Number) v).doubleValue() > 0
                    && Double.isFinite(((Number) v).doubleValue()))),
            Map.entry(OPT_LR_SCHEDULE, new Range("one of " + String.join(", ", LR_SCHEDULES),
                    LR_SCHEDULES::contains)),
            Map.entry(OPT_LR_WARMUP_RATIO, Range.unitInterval(true, false)),
            Map.entry(OPT_MOMENTUM, Range.unitInterval(true, false)),
            Map.entry(DS_IMAGE_SIZE, new Range("positive", v -> ((Number) v).intValue() > 0)),
            Map.entry(DS_AREA_RANGE_MIN, Range.unitInterval(false, true)),
            Map.entry(DS_ASPECT_RATIO_RANGE_MIN, Range.unitInterval(false, true)),
            Map.entry(DS_BRIGHTNESS_DELTA, Range.delta()),
            Map.entry(DS_CONTRAST_DELTA, Range.delta()),
            Map.entry(DS_SATURATION_DELTA, Range.delta()),
            Map.entry(DS_HUE_DELTA, Range.delta()));

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

    /**
     * Why {@code value} lies outside {@code key}'s range, as a message that begins with the key
     * (e.g. {@code "opt_momentum must be in [0, 1), got 1.5"}) so that callers can say where the
     * key was set; empty when it is inside, or when the key has no range.
     *
     * @param value the value, of the key's type
     */
    public static Optional<String> violation(String key, Object value) {
        Range range = RANGES.get(key);
        if (range == null || range.contains().test(value)) {
            return Optional.empty();
        }
        String shown = value instanceof String ? "'" + value + "'" : String.valueOf(value);
        return Optional.of(key + " must be " + range.description() + ", got " + shown);
    }

    /** Throws {@link #violation}'s message when {@code value} is outside {@code key}'s range. */
    public static void requireInRange(String key, Object value) {
        Optional<String> problem = violation(key, value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
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
