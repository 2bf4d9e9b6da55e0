package org.munet.worker;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * within one state and an executor JVM may serve several states. Least recently used first out
     * once their bytes pass {@link #limitBytes}; a block still in use by a training candidate is
     * closed only when its last user releases it.
     */
    private final Map<String, Frozen> frozen = new LinkedHashMap<>(16, 0.75f, true);
    private long limitBytes;
    private long heldBytes;

    /** A cached frozen block, its native bytes and the candidates using it now. */
    private static final class Frozen {
        final ComponentBlock block;
        final long bytes;
        int users;
        boolean evicted;

        Frozen(ComponentBlock block) {
            this.block = block;
            // Parameters and their momentum traces, float32 each.
            this.bytes = block.parameterCount() * 8;
        }
    }

    ComponentSource(NDManager manager, long limitBytes) {
        this.manager = manager;
        this.limitBytes = limitBytes;
    }

    /** Bounds the frozen-component cache; evicts at once if it now holds more. */
    synchronized void limit(long bytes) {
        limitBytes = bytes;
        evict();
    }

    /** Bytes of frozen blocks the cache holds now (in use or not). */
    synchronized long heldBytes() {
        return heldBytes;
    }

    /**
     * The block for a plan. Callers close the trainable ones (and only those) when done, and
     * {@link #release} the plans, which returns the frozen ones to the cache.
     */
    ComponentBlock obtain(StateStore store, ComponentPlan plan, ComponentFactory factory, long initSeed) {
        switch (plan.action()) {
            case REUSE:
                return acquire(store, plan, factory);
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

    /**
     * Ends one candidate's use of its blocks: frozen ones go back to the cache (and one evicted
     * meanwhile is closed by its last user); trainable ones are the caller's to close.
     */
    synchronized void release(List<ComponentBlock> blocks) {
        for (ComponentBlock b : blocks) {
            Frozen f = byBlock.get(b);
            if (f != null && --f.users == 0 && f.evicted) {
                byBlock.remove(b);
                b.close();
            }
        }
    }

    private synchronized ComponentBlock acquire(StateStore store, ComponentPlan plan, ComponentFactory factory) {
        String key = key(plan);
        Frozen f = frozen.get(key);
        if (f == null) {
            ComponentBlock b = factory.create(plan.name());
            b.load(manager, read(store, plan.sourceId(), plan.sourceSha256()));
            b.setTrainable(false);
            f = new Frozen(b);
            frozen.put(key, f);
            byBlock.put(b, f);
            heldBytes += f.bytes;
        }
        f.users++;
        evict();
        return f.block;
    }

    /** Every frozen block not yet closed, cached or evicted but still in use. */
    private final Map<ComponentBlock, Frozen> byBlock = new java.util.IdentityHashMap<>();

    private void evict() {
        for (java.util.Iterator<Frozen> it = frozen.values().iterator(); heldBytes > limitBytes && it.hasNext();) {
            Frozen f = it.next();
            it.remove();
            heldBytes -= f.bytes;
            f.evicted = true;
            if (f.users == 0) {
                byBlock.remove(f.block);
                f.block.close();
            }
        }
    }

    private static String key(ComponentPlan plan) {
        return plan.name() + "@" + plan.sourceSha256();
    }

    private static HostComponent read(StateStore store, long id, String sha256) {
        byte[] bytes = store.readComponent(id, sha256);
        return ComponentCodec.decode(bytes, store.layout().component(id).toString());
    }
}
