package org.munet.evolution;

import java.util.List;
import org.munet.system.Architecture;
import org.munet.system.TaskPath;

/**
 * A candidate before training: its path (not yet in the population), how to obtain each of its
 * components, and the slots (name, shape, size) its architecture needs, in the same order.
 */
public record Child(TaskPath path, List<ComponentPlan> plans, List<Architecture.Slot> slots) {

    public Child {
        plans = List.copyOf(plans);
        slots = List.copyOf(slots);
    }

    /** Parameters created or cloned for this child: the new parameters it would add. */
    public long trainableParams() {
        return trainableParams(plans, slots);
    }

    public long totalParams() {
        return Architecture.parameterCount(slots);
    }

    static long trainableParams(List<ComponentPlan> plans, List<Architecture.Slot> slots) {
        long sum = 0;
        for (int i = 0; i < plans.size(); i++) {
            if (plans.get(i).trainable()) {
                sum += slots.get(i).parameterCount();
            }
        }
        return sum;
    }
}
