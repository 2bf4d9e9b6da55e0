package org.munet.data;

import java.util.function.IntFunction;

/**
 * A train split too large for the JVM's task-data cache, streamed from its file system in shards:
 * each shard is decoded when a stream reaches it and kept in the cache like any task data, so at
 * most a few shards are in memory at once. A shard holds at most 128,116 examples, the most the
 * reference trains on between two validations (spec §8.3), so one validation round needs at most
 * one or two shards; fewer when the cache bound is small.
 */
public final class TrainShards {

    /** The reference's largest number of training examples between two validations. */
    public static final int MAX_SHARD = 128_116;

    private final int[] starts;
    private final int[] labels;
    private final IntFunction<ImageSet> load;

    /**
     * @param starts shard {@code k} holds examples {@code [starts[k], starts[k+1])}; the last entry
     *     is the split's size
     * @param labels every example's label, in shard order (known from the listing, without decoding)
     * @param load decodes shard {@code k} (through the cache)
     */
    TrainShards(int[] starts, int[] labels, IntFunction<ImageSet> load) {
        this.starts = starts.clone();
        this.labels = labels;
        this.load = load;
    }

    /** How many shards. */
    public int count() {
        return starts.length - 1;
    }

    /** Examples in all shards. */
    public int size() {
        return labels.length;
    }

    /** Examples in shard {@code k}. */
    public int size(int k) {
        return starts[k + 1] - starts[k];
    }

    /** Every example's label in shard order; never write to it. */
    public int[] labels() {
        return labels;
    }

    /** Shard {@code k}, decoded (or from the cache). */
    public ImageSet shard(int k) {
        return load.apply(k);
    }

    /** Equal shards of at most {@code maxShard} examples over {@code n}: their start offsets. */
    static int[] starts(int n, int maxShard) {
        int count = Math.max(1, (n + maxShard - 1) / maxShard);
        int[] starts = new int[count + 1];
        for (int k = 0; k <= count; k++) {
            starts[k] = (int) ((long) k * n / count);
        }
        return starts;
    }
}
