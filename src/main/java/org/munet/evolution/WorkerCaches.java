package org.munet.evolution;

import java.io.Serializable;

/**
 * How much each worker JVM may keep between candidates: decoded task data, frozen components and
 * the activations of frozen prefixes, each a cache bounded in bytes (config
 * {@code training.task_data_cache_mb}, {@code training.component_cache_mb} and
 * {@code training.prefix_cache_mb}). Long runs over many tasks stay within these bounds.
 *
 * @param taskDataBytes bound of the decoded-task-data cache
 * @param componentBytes bound of the frozen-component cache (per device)
 * @param prefixBytes bound of the frozen-prefix activation cache (per device, native memory);
 *     0 turns reuse off
 */
public record WorkerCaches(long taskDataBytes, long componentBytes, long prefixBytes) implements Serializable {

    /**
     * 2 GiB of task data (MNIST is 47 MB decoded), 1 GiB of components and 256 MiB of prefix
     * activations (the tiny ViT's are 0.56 MB per batch of 128: 470 batches, a quickstart
     * generation's stream).
     */
    public static final WorkerCaches DEFAULTS = new WorkerCaches(2048L << 20, 1024L << 20, 256L << 20);

    public WorkerCaches {
        if (taskDataBytes < 0 || componentBytes < 0 || prefixBytes < 0) {
            throw new IllegalArgumentException("cache bounds must not be negative: " + taskDataBytes + ", "
                    + componentBytes + ", " + prefixBytes);
        }
    }

    public static WorkerCaches ofMegabytes(long taskDataMb, long componentMb, long prefixMb) {
        return new WorkerCaches(taskDataMb << 20, componentMb << 20, prefixMb << 20);
    }
}
