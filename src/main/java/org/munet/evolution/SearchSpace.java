package org.munet.evolution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;

/**
 * The auto-tune lists (spec §3.4): for each tunable hyperparameter, the ordered values a neighbour
 * move walks. Sorted by key, so {@code _mu_} is visited first (spec §3.6).
 */
public final class SearchSpace {

    private static final List<Object> LR = List.of(1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5);
    private static final List<Object> WARMUP = List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4);
    private static final List<Object> AREA = List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0);
    private static final List<Object> ASPECT = List.of(0.25, 0.5, 0.75, 1.0);
    private static final List<Object> BOOL = List.of(true, false);
    private static final List<Object> COLOUR = List.of(0.0, 0.01, 0.02, 0.05, 0.1, 0.2);

    private final TreeMap<String, List<Object>> ranges;

    public SearchSpace(Map<String, List<Object>> ranges) {
        this.ranges = new TreeMap<>();
        for (Map.Entry<String, List<Object>> e : ranges.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new IllegalArgumentException("search range of '" + e.getKey() + "' is empty");
            }
            List<Object> normalised = new ArrayList<>();
            for (Object v : e.getValue()) {
                normalised.add(Hyperparams.of(Map.of(e.getKey(), v)).get(e.getKey()));
            }
            this.ranges.put(e.getKey(), Collections.unmodifiableList(normalised));
        }
    }

    /** Auto-tune "v2", the main µ2Net lists. */
    public static SearchSpace v2() {
        Map<String, List<Object>> r = new TreeMap<>();
        r.put(HparamKeys.MU, List.of(0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.22, 0.24, 0.26, 0.28, 0.30));
        r.put(HparamKeys.OPT_LR, LR);
        r.put(HparamKeys.OPT_LR_WARMUP_RATIO, WARMUP);
        r.put(HparamKeys.OPT_MOMENTUM, List.of(0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99));
        r.put(HparamKeys.OPT_NESTEROV, BOOL);
        r.put(HparamKeys.DS_AREA_RANGE_MIN, AREA);
        r.put(HparamKeys.DS_CROP, BOOL);
        r.put(HparamKeys.DS_ASPECT_RATIO_RANGE_MIN, ASPECT);
        r.put(HparamKeys.DS_FLIP_LEFT_RIGHT, BOOL);
        r.put(HparamKeys.DS_BRIGHTNESS_DELTA, COLOUR);
        r.put(HparamKeys.DS_CONTRAST_DELTA, COLOUR);
        r.put(HparamKeys.DS_SATURATION_DELTA, COLOUR);
        r.put(HparamKeys.DS_HUE_DELTA, COLOUR);
        return new SearchSpace(r);
    }

    /**
     * Auto-tune "v1" (Ti-3 and B configs). Deliberate deviations: the reference's momentum list
     * starts with None, which crashes its own float cast (spec §10.17), so it is left out; and
     * ds_image_size is not tuned because our images are not resized per generation.
     */
    public static SearchSpace v1() {
        Map<String, List<Object>> r = new TreeMap<>();
        r.put(HparamKeys.ADAPTER_DIM, List.of(8, 16, 32, 64, 128));
        r.put(HparamKeys.OPT_LR, LR);
        r.put(HparamKeys.OPT_LR_SCHEDULE, List.of("constant", "cosine", "restarts"));
        r.put(HparamKeys.OPT_LR_WARMUP_RATIO, WARMUP);
        r.put(HparamKeys.OPT_MOMENTUM, List.of(0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99));
        r.put(HparamKeys.OPT_NESTEROV, BOOL);
        r.put(HparamKeys.DS_AREA_RANGE_MIN, AREA);
        r.put(HparamKeys.DS_ASPECT_RATIO_RANGE_MIN, ASPECT);
        r.put(HparamKeys.DS_FLIP_LEFT_RIGHT, BOOL);
        r.put(HparamKeys.DS_BRIGHTNESS_DELTA, COLOUR);
        r.put(HparamKeys.DS_CONTRAST_DELTA, COLOUR);
        r.put(HparamKeys.DS_SATURATION_DELTA, COLOUR);
        r.put(HparamKeys.DS_HUE_DELTA, COLOUR);
        return new SearchSpace(r);
    }

    public static SearchSpace none() {
        return new SearchSpace(Map.of());
    }

    public static SearchSpace named(String name) {
        switch (name) {
            case "v2":
                return v2();
            case "v1":
                return v1();
            case "none":
                return none();
            default:
                throw new IllegalArgumentException("unknown auto_tune '" + name + "'; known: v2, v1, none");
        }
    }

    /** A copy with one more range (e.g. num_layers for layer insertion and removal). */
    public SearchSpace with(String key, List<Object> values) {
        Map<String, List<Object>> r = new TreeMap<>(ranges);
        r.put(key, values);
        return new SearchSpace(r);
    }

    public boolean has(String key) {
        return ranges.containsKey(key);
    }

    public Map<String, List<Object>> ranges() {
        return Collections.unmodifiableMap(ranges);
    }

    /** Fails when a default value is not one of its list's values (checked at config time). */
    public void checkDefaults(Hyperparams defaults) {
        for (Map.Entry<String, List<Object>> e : ranges.entrySet()) {
            Object v = defaults.get(e.getKey());
            if (!e.getValue().contains(v)) {
                throw new IllegalArgumentException("default " + e.getKey() + " = " + v
                        + " is not in its search range " + e.getValue());
            }
        }
    }

    /**
     * The neighbour move (spec §3.5): one step up or down the list with equal probability, clamped
     * at the ends, so at an end half the moves change nothing.
     */
    static Object neighbour(Object value, List<Object> values, double uniform) {
        int i = values.indexOf(value);
        if (i < 0) {
            throw new IllegalArgumentException("value " + value + " is not in its search range " + values);
        }
        i += uniform < 0.5 ? 1 : -1;
        i = Math.max(0, Math.min(values.size() - 1, i));
        return values.get(i);
    }
}
