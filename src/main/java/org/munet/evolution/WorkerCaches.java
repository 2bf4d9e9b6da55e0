package org.munet.evolution;

import java.io.Serializable;

/**
 * How much each worker JVM may keep between candidates: decoded task data and frozen components,
 * each a least-recently-used cache bounded in bytes (config {@code training.task_data_cache_mb}
 * and {@code training.component_cache_mb}). Long runs over many tasks stay within these bounds.
 *
 * @param taskDataBytes bound of the decoded-task-data cache
 * @param componentBytes bound of the frozen-component cache (per device)
 */
public record WorkerCaches(long taskDataBytes, long componentBytes) implements Serializable {

    /** 2 GiB of task data (MNIST is 47 MB decoded) and 1 GiB of components. */
    public static final WorkerCaches DEFAULTS = new WorkerCaches(2048L << 20, 1024L << 20);

    public WorkerCaches {
        if (taskDataBytes < 0 || componentBytes < 0) {
            throw new IllegalArgumentException("cache bounds must not be negative: " + taskDataBytes + ", "
                    + componentBytes);
        }
    }

    public static WorkerCaches ofMegabytes(long taskDataMb, long componentMb) {
        return new WorkerCaches(taskDataMb << 20, componentMb << 20);
    }
}
