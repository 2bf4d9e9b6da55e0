package org.munet.evolution;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.munet.system.ModelDims;

/**
 * A full pass over a task's test split with a committed path (spec §2.7 step 5).
 *
 * @param pathId the path evaluated
 * @param components its components, all {@link ComponentPlan.Action#REUSE}
 */
public record TestSpec(long pathId, String task, String dataDir, ModelDims dims,
        List<ComponentPlan> components, Map<String, Object> hparams) implements Serializable {}
