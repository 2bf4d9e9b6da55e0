package org.munet.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ComponentPlan;
import org.munet.nn.ComponentBlock;
import org.munet.nn.ComponentCodec;
import org.munet.nn.ComponentFactory;
import org.munet.store.StateStore;
import org.munet.system.ComponentNames;
import org.munet.system.Hyperparams;
import org.munet.system.ReferenceDefaults;

/**
 * The frozen-component cache holds at most its bound, drops the least recently used block first,
 * and never closes a block a candidate still uses.
 */
class ComponentSourceTest {

    @TempDir
    Path dir;

    @Test
    void frozenBlocksAreEvictedLeastRecentlyUsedFirstAndClosedOnlyWhenUnused() {
        ComponentFactory factory = ComponentFactory.of(ReferenceDefaults.DIMS,
                Hyperparams.of(ReferenceDefaults.hparams(28, 1)));
        StateStore store = StateStore.open(dir.toString(), new Configuration());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            List<ComponentPlan> plans = new ArrayList<>();
            long bytes = 0;
            for (long id = 1; id <= 3; id++) {
                try (ComponentBlock b = factory.create(ComponentNames.EMBEDDING)) {
                    b.initializeParameters(manager, id);
                    bytes = b.parameterCount() * 8;
                    String sha = store.putComponentDirect(id, ComponentCodec.encode(b.toHost()));
                    plans.add(new ComponentPlan(ComponentNames.EMBEDDING, id, ComponentPlan.Action.REUSE, id, sha));
                }
            }
            ComponentSource source = new ComponentSource(manager, 2 * bytes);
            ComponentBlock first = source.obtain(store, plans.get(0), factory, 0);
            ComponentBlock second = source.obtain(store, plans.get(1), factory, 0);
            assertSame(first, source.obtain(store, plans.get(0), factory, 0), "a cached frozen block is shared");
            assertEquals(2 * bytes, source.heldBytes());
            source.release(List.of(first, second, first));

            // The third pushes out the least recently used one (the second; the first was used since).
            ComponentBlock third = source.obtain(store, plans.get(2), factory, 0);
            assertEquals(2 * bytes, source.heldBytes());
            assertThrows(RuntimeException.class, second::toHost, "an evicted unused block is closed");
            assertSame(first, source.obtain(store, plans.get(0), factory, 0));
            assertNotSame(second, source.obtain(store, plans.get(1), factory, 0), "an evicted block is read again");

            // A block evicted while a candidate trains on it lives until that candidate releases it.
            source.limit(0);
            assertEquals(0, source.heldBytes());
            assertEquals(2, third.toHost().parameters().size(), "kernel and bias, still readable");
            source.release(List.of(third));
            assertThrows(RuntimeException.class, third::toHost, "closed at its last release");
        }
    }
}
