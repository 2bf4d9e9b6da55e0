package org.munet.system;

import java.util.Collections;
import java.util.List;

/**
 * One model for one task (spec §1.3): an ordered list of component references plus
 * hyperparameters and metrics. The root path(s) belong to the pseudo-task
 * {@link Component#NOT_TRAINABLE}.
 */
public final class TaskPath {

    private final long id;
    private final String task;
    private Long parentId;
    private final List<Long> componentIds;
    private final Hyperparams hparams;
    private final PathMetrics metrics;

    public TaskPath(long id, String task, Long parentId, List<Long> componentIds, Hyperparams hparams,
            PathMetrics metrics) {
        this.id = id;
        this.task = task;
        this.parentId = parentId;
        this.componentIds = List.copyOf(componentIds);
        this.hparams = hparams;
        this.metrics = metrics;
    }

    public long id() {
        return id;
    }

    public String task() {
        return task;
    }

    /** The nearest live ancestor's id (re-linked after pruning, spec §2.7), or null. */
    public Long parentId() {
        return parentId;
    }

    void relinkParent(Long newParent) {
        this.parentId = newParent;
    }

    public List<Long> componentIds() {
        return Collections.unmodifiableList(componentIds);
    }

    public Hyperparams hparams() {
        return hparams;
    }

    public PathMetrics metrics() {
        return metrics;
    }

    public boolean isRoot() {
        return Component.NOT_TRAINABLE.equals(task);
    }

    @Override
    public String toString() {
        return "path " + id + " (" + task + ")";
    }
}
