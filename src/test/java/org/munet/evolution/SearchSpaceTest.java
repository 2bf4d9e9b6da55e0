package org.munet.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The neighbour move (spec §3.5) and the auto-tune lists (spec §3.4). */
class SearchSpaceTest {

    private static final List<Object> LIST = List.of(0.01, 0.02, 0.05, 0.1);

    @Test
    void downAtTheFirstValueStays() {
        assertEquals(0.01, SearchSpace.neighbour(0.01, LIST, 0.9)); // index 0 - 1 clamped to 0
        assertEquals(0.01, SearchSpace.neighbour(0.01, LIST, 0.5)); // 0.5 is not < 0.5: down
    }

    @Test
    void upAtTheLastValueStays() {
        assertEquals(0.1, SearchSpace.neighbour(0.1, LIST, 0.1)); // index 3 + 1 clamped to 3
        assertEquals(0.1, SearchSpace.neighbour(0.1, LIST, 0.0));
    }

    @Test
    void middleMovesByExactlyOne() {
        assertEquals(0.05, SearchSpace.neighbour(0.02, LIST, 0.1));    // up
        assertEquals(0.05, SearchSpace.neighbour(0.02, LIST, 0.4999)); // up
        assertEquals(0.01, SearchSpace.neighbour(0.02, LIST, 0.5));    // down
        assertEquals(0.01, SearchSpace.neighbour(0.02, LIST, 0.99));   // down
        assertEquals(0.02, SearchSpace.neighbour(0.01, LIST, 0.2));    // up from the first
        assertEquals(0.05, SearchSpace.neighbour(0.1, LIST, 0.7));     // down from the last
    }

    @Test
    void booleanFlipsOrStays() {
        List<Object> bool = List.of(true, false);
        assertEquals(false, SearchSpace.neighbour(true, bool, 0.2));  // up: true -> false
        assertEquals(true, SearchSpace.neighbour(true, bool, 0.8));   // down, clamped: stays
        assertEquals(true, SearchSpace.neighbour(false, bool, 0.8));  // down: false -> true
        assertEquals(false, SearchSpace.neighbour(false, bool, 0.2)); // up, clamped: stays
    }

    @Test
    void valueNotInTheListIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SearchSpace.neighbour(0.03, LIST, 0.1));
        // 1 (an Integer) is not the Double 1.0: callers must pass normalised values
        assertThrows(IllegalArgumentException.class, () -> SearchSpace.neighbour(1, List.of(0.5, 1.0), 0.1));
    }

    @Test
    void rangesAreNormalisedAndSortedByKey() {
        Map<String, List<Object>> raw = new LinkedHashMap<>();
        raw.put("opt_lr", List.of(1, 2));
        raw.put("ds_crop", List.of(true, false));
        raw.put("_mu_", List.of(0, 1));
        SearchSpace s = new SearchSpace(raw);
        assertEquals(List.of("_mu_", "ds_crop", "opt_lr"), List.copyOf(s.ranges().keySet()));
        assertEquals(List.of(1.0, 2.0), s.ranges().get("opt_lr"));
        assertEquals(List.of(0.0, 1.0), s.ranges().get("_mu_"));
        assertEquals(2.0, SearchSpace.neighbour(1.0, s.ranges().get("opt_lr"), 0.1));
    }

    @Test
    void badRangesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace(Map.of("opt_lr", List.of())));
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace(Map.of("learning_rate", List.of(1.0))));
        assertThrows(IllegalArgumentException.class, () -> new SearchSpace(Map.of("num_layers", List.of(1.5))));
        assertThrows(IllegalArgumentException.class, () -> SearchSpace.named("v3"));
    }

    @Test
    void v2ListsFromTheSpec() {
        SearchSpace v2 = SearchSpace.v2();
        assertEquals(List.of(0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.22, 0.24, 0.26, 0.28, 0.30),
                v2.ranges().get("_mu_"));
        assertEquals(12, v2.ranges().get("opt_lr").size());
        assertEquals(List.of(0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99), v2.ranges().get("opt_momentum"));
        // not tuned in v2: schedule, image size, adapter_dim, num_layers
        assertEquals(false, v2.has("opt_lr_schedule"));
        assertEquals(false, v2.has("ds_image_size"));
        assertEquals(false, v2.has("adapter_dim"));
        assertEquals(false, v2.has("num_layers"));
        assertEquals("_mu_", v2.ranges().keySet().iterator().next());
        assertEquals(true, SearchSpace.v1().has("adapter_dim"));
        assertEquals(false, SearchSpace.v1().has("_mu_"));
        assertEquals(true, SearchSpace.none().ranges().isEmpty());
    }

    @Test
    void defaultsMustBeInTheirLists() {
        SearchSpace v2 = SearchSpace.v2();
        v2.checkDefaults(PolicyFixtures.hparams(0.2)); // all fixture defaults are list members
        assertThrows(IllegalArgumentException.class, () -> v2.checkDefaults(PolicyFixtures.hparams(0.21)));
        assertThrows(IllegalArgumentException.class,
                () -> v2.checkDefaults(PolicyFixtures.hparams(0.2).with("opt_lr", 0.03)));
    }
}
