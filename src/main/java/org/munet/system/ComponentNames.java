package org.munet.system;

/** The reference's component names (spec §1.1); a path is an ordered list of these. */
public final class ComponentNames {

    public static final String EMBEDDING = "embedding";
    public static final String CLS = "cls";
    public static final String POSEMBED = "posembed_input";
    public static final String ENCODER_BLOCK_PREFIX = "encoderblock_";
    public static final String ADAPTER_PREFIX = "residual_adapter_";
    public static final String ENCODER_NORM = "encoder_norm";
    public static final String HEAD = "head";

    private ComponentNames() {}

    public static String encoderBlock(int layer) {
        return ENCODER_BLOCK_PREFIX + layer;
    }

    /**
     * The kind of a component: its name without the layer index ({@link #ENCODER_BLOCK_PREFIX} and
     * {@link #ADAPTER_PREFIX} for the per-layer kinds), so code can switch over kinds.
     */
    public static String kind(String name) {
        if (name.startsWith(ENCODER_BLOCK_PREFIX)) {
            return ENCODER_BLOCK_PREFIX;
        }
        if (name.startsWith(ADAPTER_PREFIX)) {
            return ADAPTER_PREFIX;
        }
        return name;
    }

    /** The adapter placed before {@code encoderblock_<layer>}. */
    public static String adapter(int layer) {
        return ADAPTER_PREFIX + layer;
    }
}
