package org.munet.nn;

import org.munet.system.ComponentNames;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;

/**
 * Creates an empty (unallocated) block for a component name, with the shapes that name implies
 * under one {@link VitConfig}, task class count and adapter width.
 */
public final class ComponentFactory {

    private final VitConfig config;
    private final int numClasses;
    private final int adapterDim;

    public ComponentFactory(VitConfig config, int numClasses, int adapterDim) {
        this.config = config;
        this.numClasses = numClasses;
        this.adapterDim = adapterDim;
    }

    /** The factory of a path with hyperparameters {@code h} in a system of dimensions {@code dims}. */
    public static ComponentFactory of(ModelDims dims, Hyperparams h) {
        return new ComponentFactory(VitConfig.of(dims, h), h.getInt(HparamKeys.NUM_CLASSES),
                h.getInt(HparamKeys.ADAPTER_DIM));
    }

    public VitConfig config() {
        return config;
    }

    public ComponentBlock create(String name) {
        switch (name) {
            case ComponentNames.EMBEDDING:
                return new PatchEmbedding(config);
            case ComponentNames.CLS:
                return new ClassToken(config);
            case ComponentNames.POSEMBED:
                return new PositionEmbedding(config);
            case ComponentNames.ENCODER_NORM:
                return new EncoderNorm(config);
            case ComponentNames.HEAD:
                return new Head(config, numClasses);
            default:
                if (name.startsWith(ComponentNames.ENCODER_BLOCK_PREFIX)) {
                    return new EncoderBlock(config, layerOf(name, ComponentNames.ENCODER_BLOCK_PREFIX));
                }
                if (name.startsWith(ComponentNames.ADAPTER_PREFIX)) {
                    return new ResidualAdapter(config, layerOf(name, ComponentNames.ADAPTER_PREFIX),
                            adapterDim);
                }
                throw new IllegalArgumentException("unknown component name '" + name + "'");
        }
    }

    private static int layerOf(String name, String prefix) {
        try {
            return Integer.parseInt(name.substring(prefix.length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad layer index in component name '" + name + "'", e);
        }
    }
}
