package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.munet.data.BatchKey;

/**
 * The activations of frozen prefixes, kept in native memory so that the same frozen components
 * applied to the same batch are computed once per JVM and device (see {@link FrozenPrefix}).
 *
 * <p>When reuse applies: the activations of a batch after a prefix are a function of the prefix's
 * components (frozen, so never written: named by instance, {@link ComponentBlock#instanceId()}),
 * whether they end their path's encoder (then only the class token is computed, see
 * {@link PathModel#apply}), the batch ({@link BatchKey}: equal keys promise equal pixels) and the
 * kernels that computed them (the calling thread's intra-op thread count is part of the key, since
 * a reduction split over more threads may round differently). Equal keys therefore mean the very computation a candidate
 * would otherwise repeat, and a copy of its result is bitwise what the repetition would give.
 * Batches without a key, and paths whose first component trains, are never cached.
 *
 * <p>Memory: entries are grouped by prefix and batch source (a generation's training stream, a
 * task's validation subset, a test pass). When the bound is reached, whole groups are dropped,
 * least recently used first, but never the group being filled: a candidate that reaches the bound
 * stops adding and computes its later batches itself. That keeps the earliest batches of a stream,
 * the ones every later candidate of the generation reads first, instead of cycling them out as a
 * least-recently-used rule would for candidates that read one stream one after another.
 * A reader that no other will follow (a candidate alone in its generation with its prefix over its
 * training stream) takes what is kept but adds nothing: a copy nobody reads costs a copy per batch
 * and fresh native memory.
 *
 * <p>Thread-safe. A batch being computed by one thread is waited for by another that wants it.
 */
public final class PrefixCache implements AutoCloseable {

    /** Hits, misses and native bytes held; for benchmarks and progress output. */
    public record Stats(long hits, long misses, long heldBytes, long groups) {}

    /** One prefix, in one form, over one batch source, computed at one intra-op thread count. */
    private record Group(List<Long> components, boolean classTokenOnly, Object source, int threads) {}

    private record Key(Group group, long index) {}

    private final NDManager manager;
    private long limitBytes;
    private long heldBytes;
    private long hits;
    private long misses;
    /** Access-ordered: least recently used group first. */
    private final LinkedHashMap<Group, Map<Long, NDArray>> groups = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Group, Long> groupBytes = new HashMap<>();
    private final Set<Key> inFlight = new HashSet<>();

    /**
     * @param parent the device's manager; entries live in a sub-manager of it
     * @param limitBytes most native bytes of activations to keep; 0 turns reuse off
     */
    public PrefixCache(NDManager parent, long limitBytes) {
        this.manager = parent.newSubManager();
        this.manager.setName("prefix-cache");
        this.limitBytes = limitBytes;
    }

    /** Rebounds the cache (a run's config may set another bound); drops groups at once if over. */
    public synchronized void limit(long bytes) {
        limitBytes = bytes;
        evictFor(0, null);
    }

    public synchronized Stats stats() {
        return new Stats(hits, misses, heldBytes, groups.size());
    }

    /**
     * The activations of {@code batch} after {@code prefix}: a copy of the kept ones on
     * {@code into}, or {@code compute}'s result, kept for others if {@code keep} and the bound allow.
     *
     * @param classTokenOnly whether the prefix ends its path's encoder, so that its activations
     *     hold the class token only
     * @param keep whether another reader may want these activations later; without one, keeping a
     *     copy only costs the copy and its memory
     * @param compute applies the prefix; its result must be on {@code into} and must not require
     *     gradients
     */
    NDArray activations(List<ComponentBlock> prefix, boolean classTokenOnly, BatchKey batch, boolean keep,
            NDManager into, Supplier<NDArray> compute) {
        if (batch == null || prefix.isEmpty()) {
            return compute.get();
        }
        Key key = new Key(new Group(instanceIds(prefix), classTokenOnly, batch.source(),
                JniUtils.getNumThreads()), batch.index());
        boolean reuse;
        synchronized (this) {
            reuse = limitBytes > 0;
            if (reuse) {
                NDArray kept = awaitKept(key);
                if (kept != null) {
                    hits++;
                    return copy(kept, into);
                }
                if (keep) {
                    inFlight.add(key);
                }
            }
            misses++;
        }
        if (!reuse || !keep) {
            return compute.get();
        }
        NDArray computed = null;
        try {
            computed = compute.get();
            return computed;
        } finally {
            synchronized (this) {
                inFlight.remove(key);
                if (computed != null) {
                    keep(key, computed);
                }
                notifyAll();
            }
        }
    }

    /** The kept activations of {@code key}, after waiting out a thread computing them; or null. */
    private NDArray awaitKept(Key key) {
        while (true) {
            Map<Long, NDArray> group = groups.get(key.group());
            NDArray kept = group == null ? null : group.get(key.index());
            if (kept != null || !inFlight.contains(key)) {
                return kept;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a prefix's activations", e);
            }
        }
    }

    /** Keeps a copy of {@code computed} if it fits, making room from other groups only. */
    private void keep(Key key, NDArray computed) {
        long bytes = computed.size() * computed.getDataType().getNumOfBytes();
        if (!evictFor(bytes, key.group())) {
            return;
        }
        NDArray copy = computed.duplicate();
        NDScope.unregister(copy);
        copy.attach(manager);
        groups.computeIfAbsent(key.group(), g -> new HashMap<>()).put(key.index(), copy);
        groupBytes.merge(key.group(), bytes, Long::sum);
        heldBytes += bytes;
    }

    /**
     * Drops least recently used groups other than {@code keep} until {@code bytes} more fit.
     *
     * @return whether they fit
     */
    private boolean evictFor(long bytes, Group keep) {
        for (Iterator<Map.Entry<Group, Map<Long, NDArray>>> it = groups.entrySet().iterator();
                heldBytes + bytes > limitBytes && it.hasNext();) {
            Map.Entry<Group, Map<Long, NDArray>> e = it.next();
            if (e.getKey().equals(keep)) {
                continue;
            }
            e.getValue().values().forEach(NDArray::close);
            heldBytes -= groupBytes.remove(e.getKey());
            it.remove();
        }
        return heldBytes + bytes <= limitBytes;
    }

    private static NDArray copy(NDArray kept, NDManager into) {
        NDArray copy = kept.duplicate();
        copy.attach(into);
        return copy;
    }

    private static List<Long> instanceIds(List<ComponentBlock> prefix) {
        Long[] ids = new Long[prefix.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = prefix.get(i).instanceId();
        }
        return List.of(ids);
    }

    @Override
    public synchronized void close() {
        groups.clear();
        groupBytes.clear();
        heldBytes = 0;
        manager.close();
    }
}
