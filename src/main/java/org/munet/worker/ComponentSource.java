package org.munet.worker;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.munet.evolution.ComponentPlan;
import org.munet.nn.ComponentBlock;
import org.munet.nn.ComponentCodec;
import org.munet.nn.ComponentFactory;
import org.munet.nn.HostComponent;
import org.munet.store.StateStore;

/**
 * Obtains a candidate's components in one JVM: frozen components shared by reference from a cache
 * (they are immutable once committed, so one copy serves every candidate of every generation),
 * cloned components as fresh trainable copies of a committed file (momentum included), and new ones
 * from the reference initialisation.
 */
final class ComponentSource {

    private final NDManager manager;
    /**
     * Frozen blocks by the checksum of their file: content-addressed, because ids are only unique
     * within one state and an executor JVM may serve several states. Never closed while the JVM
     * lives (tiny models; a bounded cache comes with large ones).
     */
    private final Map<String, ComponentBlock> frozen = new ConcurrentHashMap<>();

    ComponentSource(NDManager manager) {
        this.manager = manager;
    }

    /** The block for a plan; callers close the trainable ones (and only those) when done. */
    ComponentBlock obtain(StateStore store, ComponentPlan plan, ComponentFactory factory, long initSeed) {
        switch (plan.action()) {
            case REUSE:
                return frozen.computeIfAbsent(plan.name() + "@" + plan.sourceSha256(), key -> {
                    ComponentBlock b = factory.create(plan.name());
                    b.load(manager, read(store, plan.sourceId(), plan.sourceSha256()));
                    b.setTrainable(false);
                    return b;
                });
            case CLONE:
                ComponentBlock copy = factory.create(plan.name());
                copy.load(manager, read(store, plan.sourceId(), plan.sourceSha256()));
                copy.setTrainable(true);
                return copy;
            case NEW:
                ComponentBlock fresh = factory.create(plan.name());
                fresh.initializeParameters(manager, initSeed);
                fresh.setTrainable(true);
                return fresh;
            default:
                throw new AssertionError(plan.action());
        }
    }

    private static HostComponent read(StateStore store, long id, String sha256) {
        byte[] bytes = store.readComponent(id, sha256);
        return ComponentCodec.decode(bytes, store.layout().component(id).toString());
    }
}
