package org.munet.evolution;

import org.munet.system.TaskSource;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.munet.system.ModelDims;

/**
 * A full pass over a task's test split with a committed path (spec §2.7 step 5).
 *
 * @param pathId the path evaluated
 * @param source where its task's base dataset lives (resolved)
 * @param components its components, all {@link ComponentPlan.Action#REUSE}
 * @param caches the worker JVM's cache bounds
 */
public record TestSpec(long pathId, String task, TaskSource source, ModelDims dims,
        List<ComponentPlan> components, Map<String, Object> hparams, WorkerCaches caches) implements Serializable {}
