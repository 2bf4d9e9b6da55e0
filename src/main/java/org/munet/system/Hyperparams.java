package org.munet.system;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A path's hyperparameters (spec §1.3): the reference's flat key to value map. Keys are kept sorted,
 * which matters: the child builder walks mutation keys in sorted order, so {@code _mu_} comes first
 * and its new value drives every later decision (spec §3.6). Values are normalised to the type each
 * key has (see {@link HparamKeys}), so 1 and 1.0 are the same learning rate.
 */
public final class Hyperparams {

    private final TreeMap<String, Object> values;

    private Hyperparams(TreeMap<String, Object> values) {
        this.values = values;
    }

    public static Hyperparams of(Map<String, ?> raw) {
        TreeMap<String, Object> v = new TreeMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            v.put(e.getKey(), HparamKeys.normalise(e.getKey(), e.getValue()));
        }
        return new Hyperparams(v);
    }

    public Hyperparams with(String key, Object value) {
        TreeMap<String, Object> v = new TreeMap<>(values);
        v.put(key, HparamKeys.normalise(key, value));
        return new Hyperparams(v);
    }

    public Hyperparams withAll(Map<String, ?> more) {
        TreeMap<String, Object> v = new TreeMap<>(values);
        for (Map.Entry<String, ?> e : more.entrySet()) {
            v.put(e.getKey(), HparamKeys.normalise(e.getKey(), e.getValue()));
        }
        return new Hyperparams(v);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Object get(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("hyperparameter '" + key + "' is not set; set: " + values.keySet());
        }
        return v;
    }

    public double getDouble(String key) {
        return ((Number) get(key)).doubleValue();
    }

    public int getInt(String key) {
        return ((Number) get(key)).intValue();
    }

    public boolean getBoolean(String key) {
        return (Boolean) get(key);
    }

    public String getString(String key) {
        return (String) get(key);
    }

    /** Sorted, unmodifiable view (for JSON and for walking keys in the reference's order). */
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hyperparams h && values.equals(h.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
