package org.munet.data;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Decoded task data (whole tasks, and shards of streamed train splits) shared by every candidate
 * of one JVM, bounded in bytes, least recently used entries evicted first. Each entry is loaded once however many threads ask for it at the same
 * time (they wait for one read), and loads of different entries run in parallel, outside the lock.
 *
 * <p>An evicted entry stays alive as long as a candidate still trains on it; the cache only stops
 * holding it. A failed load is forgotten, so a later request (after the data is fixed) reads again.
 */
final class TaskDataCache<K> {

    private final Map<K, FutureTask<Sized>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long limitBytes;

    TaskDataCache(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    synchronized void limit(long bytes) {
        limitBytes = bytes;
        evict(null);
    }

    synchronized long limit() {
        return limitBytes;
    }

    /** Bytes of the completed entries held now. */
    synchronized long heldBytes() {
        long total = 0;
        for (FutureTask<Sized> f : entries.values()) {
            total += bytesOf(f);
        }
        return total;
    }

    synchronized boolean holds(K key) {
        return entries.containsKey(key);
    }

    /** The value for {@code key}: the one held, or {@code load}'s, of the type {@code load} gives. */
    @SuppressWarnings("unchecked")
    <V extends Sized> V get(K key, Supplier<V> load) {
        FutureTask<Sized> task;
        boolean mine = false;
        synchronized (this) {
            task = entries.get(key);
            if (task == null) {
                task = new FutureTask<>(load::get);
                entries.put(key, task);
                mine = true;
            }
        }
        if (mine) {
            task.run();
        }
        try {
            V data = (V) task.get();
            if (mine) {
                synchronized (this) {
                    evict(key);
                }
            }
            return data;
        } catch (ExecutionException e) {
            synchronized (this) {
                entries.remove(key, task);
            }
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new DatasetException(key + ": load failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException(key + ": interrupted while loading", e);
        }
    }

    /**
     * Drops least recently used completed entries until the held bytes fit the limit; {@code keep}
     * (just loaded, about to be used) goes last, and is dropped too if it alone is over the limit.
     */
    private void evict(K keep) {
        long total = heldBytes();
        Iterator<Map.Entry<K, FutureTask<Sized>>> it = entries.entrySet().iterator();
        while (total > limitBytes && it.hasNext()) {
            Map.Entry<K, FutureTask<Sized>> e = it.next();
            if (e.getValue().isDone() && !e.getKey().equals(keep)) {
                total -= bytesOf(e.getValue());
                it.remove();
            }
        }
        if (total > limitBytes && keep != null) {
            entries.remove(keep);
        }
    }

    private static long bytesOf(FutureTask<Sized> f) {
        if (!f.isDone()) {
            return 0;
        }
        try {
            return f.get().bytes();
        } catch (ExecutionException | InterruptedException | java.util.concurrent.CancellationException e) {
            return 0;
        }
    }
}
