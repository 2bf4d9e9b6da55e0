package org.munet.nn;

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

    /** The adapter placed before {@code encoderblock_<layer>}. */
    public static String adapter(int layer) {
        return ADAPTER_PREFIX + layer;
    }
}
