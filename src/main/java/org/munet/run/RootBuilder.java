package org.munet.run;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.munet.nn.ComponentBlock;
import org.munet.nn.ComponentCodec;
import org.munet.nn.ComponentFactory;
import org.munet.nn.FreshPath;
import org.munet.store.StateStore;
import org.munet.system.Architecture;
import org.munet.system.Component;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;
import org.munet.system.PathMetrics;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * Creates a new system's root path (spec §1.5): a randomly initialised ViT owned by the pseudo-task
 * NOT_TRAINABLE, every component locked, holding {@code rootLayers} blocks even when the default
 * depth is smaller. There is no pretrained checkpoint here, so the root is the random-init root.
 */
public final class RootBuilder {

    private RootBuilder() {}

    public static Population create(StateStore store, ModelDims dims, Hyperparams defaults, int rootLayers,
            long seed) {
        Population population = Population.empty(0, 0);
        Hyperparams shape = defaults.with(HparamKeys.NUM_LAYERS, rootLayers).with(HparamKeys.ADAPTER_LAYERS, "");
        List<Architecture.Slot> slots = Architecture.slots(dims, shape);
        List<Long> ids = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<ComponentBlock> blocks = FreshPath.components(manager,
                    ComponentFactory.of(dims, shape),
                    Architecture.componentNames(rootLayers, List.of()), seed);
            for (int i = 0; i < blocks.size(); i++) {
                long id = population.nextComponentId();
                ComponentBlock b = blocks.get(i);
                Architecture.Slot slot = slots.get(i);
                if (!slot.name().equals(b.componentName()) || slot.parameterCount() != b.parameterCount()) {
                    throw new IllegalStateException("architecture and blocks disagree on " + slot + " vs "
                            + b.componentName() + " (" + b.parameterCount() + " parameters)");
                }
                String sha = store.putComponentDirect(id, ComponentCodec.encode(b.toHost()));
                population = population.withComponent(new Component(id, slot.name(), slot.shape(), slot.parameterCount(), -1,
                        sha, Set.of(Component.NOT_TRAINABLE)));
                ids.add(id);
            }
        }
        return population.withPath(new TaskPath(population.nextPathId(), Component.NOT_TRAINABLE, null, ids,
                defaults, PathMetrics.none()));
    }
}
