package org.munet.nn;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.munet.system.Architecture;

/**
 * Builds freshly initialised components for a path layout: the random-init root of spec §1.5, or
 * the "finetune all" starting point where every component trains.
 */
public final class FreshPath {

    private FreshPath() {}

    /**
     * New components for {@code names}, all trainable, initialised from {@code seed}. The caller
     * owns them (close each, or close {@code manager}).
     */
    public static List<ComponentBlock> components(
            NDManager manager, ComponentFactory factory, List<String> names, long seed) {
        List<ComponentBlock> out = new ArrayList<>();
        for (String name : names) {
            ComponentBlock c = factory.create(name);
            c.initializeParameters(manager, seed);
            out.add(c);
        }
        return out;
    }

    /** A complete trainable ViT path: {@code config.numLayers()} blocks, no adapters. */
    public static PathModel model(NDManager manager, ComponentFactory factory, long seed) {
        List<String> names = Architecture.componentNames(factory.config().numLayers(), List.of());
        return new PathModel(components(manager, factory, names, seed));
    }
}
