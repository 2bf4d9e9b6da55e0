package org.munet.system;

import java.util.List;

/**
 * One model for one task (spec §1.3): an ordered list of component references plus
 * hyperparameters and metrics. The root path(s) belong to the pseudo-task
 * {@link Component#NOT_TRAINABLE}.
 *
 * @param parentId the nearest live ancestor's id (re-linked after pruning, spec §2.7), or null
 */
public record TaskPath(long id, String task, Long parentId, List<Long> componentIds, Hyperparams hparams,
        PathMetrics metrics) {

    public TaskPath {
        componentIds = List.copyOf(componentIds);
    }

    public boolean isRoot() {
        return Component.NOT_TRAINABLE.equals(task);
    }

    public TaskPath withParent(Long newParent) {
        return new TaskPath(id, task, newParent, componentIds, hparams, metrics);
    }

    public TaskPath withMetrics(PathMetrics newMetrics) {
        return new TaskPath(id, task, parentId, componentIds, hparams, newMetrics);
    }

    @Override
    public String toString() {
        return "path " + id + " (" + task + ")";
    }
}
