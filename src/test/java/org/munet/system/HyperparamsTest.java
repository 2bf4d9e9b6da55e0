package org.munet.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hyperparameter keys and value normalisation (spec §1.3). */
class HyperparamsTest {

    /** All 19 keys of spec §1.3, sorted by hand in String order ('_' sorts before letters). */
    private static final List<String> KNOWN_SORTED = List.of(
            "_mu_", "adapter_dim", "adapter_layers",
            "ds_area_range_min", "ds_aspect_ratio_range_min", "ds_brightness_delta", "ds_contrast_delta",
            "ds_crop", "ds_flip_left_right", "ds_hue_delta", "ds_image_size", "ds_saturation_delta",
            "num_classes", "num_layers",
            "opt_lr", "opt_lr_schedule", "opt_lr_warmup_ratio", "opt_momentum", "opt_nesterov");

    @Test
    void knownKeysAreTheSpecKeysSorted() {
        assertEquals(KNOWN_SORTED, HparamKeys.known());
    }

    @Test
    void unknownKeyIsRejectedWithTheKnownList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Hyperparams.of(Map.of("opt_learning_rate", 0.01)));
        assertTrue(e.getMessage().contains("opt_learning_rate"), e.getMessage());
        assertTrue(e.getMessage().contains(KNOWN_SORTED.toString()), e.getMessage());
        Hyperparams h = Hyperparams.of(Map.of("opt_lr", 0.01));
        assertThrows(IllegalArgumentException.class, () -> h.with("mu", 0.1));
        assertThrows(IllegalArgumentException.class, () -> h.withAll(Map.of("num_layer", 3)));
    }

    @Test
    void intAndDoubleOneAreTheSameLearningRate() {
        Hyperparams a = Hyperparams.of(Map.of("opt_lr", 1));
        Hyperparams b = Hyperparams.of(Map.of("opt_lr", 1.0));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(Double.class, a.get("opt_lr").getClass());
        assertEquals(1.0, a.getDouble("opt_lr"));
    }

    @Test
    void intKeyAcceptsIntegralValuesAndRejectsFractions() {
        assertEquals(Hyperparams.of(Map.of("num_layers", 3)), Hyperparams.of(Map.of("num_layers", 3.0)));
        assertEquals(Hyperparams.of(Map.of("num_layers", 3)), Hyperparams.of(Map.of("num_layers", 3L)));
        assertEquals(Integer.class, Hyperparams.of(Map.of("num_layers", 3.0)).get("num_layers").getClass());
        assertThrows(IllegalArgumentException.class, () -> Hyperparams.of(Map.of("num_layers", 1.5)));
        assertThrows(IllegalArgumentException.class, () -> Hyperparams.of(Map.of("adapter_dim", "16")));
    }

    @Test
    void booleanKeyRejectsNonBooleans() {
        assertThrows(IllegalArgumentException.class, () -> Hyperparams.of(Map.of("opt_nesterov", 1)));
        assertThrows(IllegalArgumentException.class, () -> Hyperparams.of(Map.of("ds_crop", "true")));
        assertEquals(true, Hyperparams.of(Map.of("ds_crop", true)).getBoolean("ds_crop"));
    }

    @Test
    void missingKeyIsAnError() {
        Hyperparams h = Hyperparams.of(Map.of("opt_lr", 0.01));
        assertThrows(IllegalArgumentException.class, () -> h.get("_mu_"));
    }

    @Test
    void keysIterateSortedSoMuComesFirst() {
        Hyperparams h = Hyperparams.of(Map.of("opt_lr", 0.01, "ds_crop", true, "_mu_", 0.1, "num_layers", 3));
        assertEquals(List.of("_mu_", "ds_crop", "num_layers", "opt_lr"), List.copyOf(h.asMap().keySet()));
    }

    @Test
    void withReturnsACopy() {
        Hyperparams h = Hyperparams.of(Map.of("opt_lr", 0.01));
        Hyperparams g = h.with("opt_lr", 0.02);
        assertEquals(0.01, h.getDouble("opt_lr"));
        assertEquals(0.02, g.getDouble("opt_lr"));
    }
}
