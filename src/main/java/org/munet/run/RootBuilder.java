package org.munet.run;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.munet.nn.ComponentBlock;
import org.munet.nn.ComponentCodec;
import org.munet.nn.ComponentFactory;
import org.munet.nn.FreshPath;
import org.munet.nn.HostComponent;
import org.munet.nn.checkpoint.VitCheckpoint;
import org.munet.store.StateStore;
import org.munet.system.Architecture;
import org.munet.system.Component;
import org.munet.system.ComponentNames;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;
import org.munet.system.PathMetrics;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * Creates a new system's root path (spec §1.5): a ViT owned by the pseudo-task NOT_TRAINABLE, every
 * component locked, holding {@code rootLayers} blocks even when the default depth is smaller. Either
 * randomly initialised ({@link #create}) or imported from a pretrained checkpoint
 * ({@link #fromCheckpoint}), whose every block it then holds.
 */
public final class RootBuilder {

    private RootBuilder() {}

    public static Population create(StateStore store, ModelDims dims, Hyperparams defaults, int rootLayers,
            long seed) {
        Hyperparams shape = defaults.with(HparamKeys.NUM_LAYERS, rootLayers).with(HparamKeys.ADAPTER_LAYERS, "");
        try (NDManager manager = NDManager.newBaseManager()) {
            List<ComponentBlock> blocks = FreshPath.components(manager,
                    ComponentFactory.of(dims, shape),
                    Architecture.componentNames(rootLayers, List.of()), seed);
            return store(store, dims, defaults, shape, blocks);
        }
    }

    /**
     * A root imported from a pretrained checkpoint: every component but the head holds the
     * checkpoint's values (the position embedding resampled to {@code ds_image_size}); the head is
     * new, initialised as a random root's, since the checkpoint's classifier is never reused.
     *
     * @param dims the system's dimensions, which are the checkpoint's
     */
    public static Population fromCheckpoint(StateStore store, VitCheckpoint checkpoint, ModelDims dims,
            Hyperparams defaults, long seed) {
        int layers = checkpoint.dims().numLayers();
        Hyperparams shape = defaults.with(HparamKeys.NUM_LAYERS, layers).with(HparamKeys.ADAPTER_LAYERS, "");
        ComponentFactory factory = ComponentFactory.of(dims, shape);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<ComponentBlock> blocks = new ArrayList<>();
            // Loading into munet's own blocks checks every parameter's name and shape once more, and
            // toHost() below then writes them in the blocks' declaration order, like a random root.
            for (HostComponent host : checkpoint.components(shape.getInt(HparamKeys.DS_IMAGE_SIZE))) {
                ComponentBlock block = factory.create(host.name());
                block.load(manager, host);
                blocks.add(block);
            }
            blocks.addAll(FreshPath.components(manager, factory, List.of(ComponentNames.HEAD), seed));
            return store(store, dims, defaults, shape, blocks);
        }
    }

    /** Writes the blocks as the root path's components, locked {NOT_TRAINABLE}. */
    private static Population store(StateStore store, ModelDims dims, Hyperparams defaults, Hyperparams shape,
            List<ComponentBlock> blocks) {
        Population population = Population.empty(0, 0);
        List<Architecture.Slot> slots = Architecture.slots(dims, shape);
        List<Long> ids = new ArrayList<>();
        if (blocks.size() != slots.size()) {
            throw new IllegalStateException("architecture and blocks disagree: " + slots.size() + " slots, "
                    + blocks.size() + " blocks");
        }
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
        return population.withPath(new TaskPath(population.nextPathId(), Component.NOT_TRAINABLE, null, ids,
                defaults, PathMetrics.none()));
    }
}
