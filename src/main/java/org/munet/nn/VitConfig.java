package org.munet.nn;

/**
 * Dimensions of the ViT backbone that every component of one system shares.
 *
 * <p>The reference (vit_jax AugReg Ti/B/L) fixes these per experiment; a component's shape follows
 * from them, so two components of the same name are interchangeable exactly when the config
 * matches. The image size only fixes the position embedding (one slot per patch plus the class
 * token).
 *
 * @param imageSize side of the square input image in pixels
 * @param patchSize side of a square patch; must divide {@code imageSize}
 * @param channels input channels (1 for native grayscale, 3 for RGB or tiled grayscale)
 * @param hiddenSize token width D
 * @param mlpDim hidden width of each encoder block's MLP
 * @param numHeads attention heads; must divide {@code hiddenSize}
 * @param numLayers encoder blocks in a fresh root path
 */
public record VitConfig(
        int imageSize,
        int patchSize,
        int channels,
        int hiddenSize,
        int mlpDim,
        int numHeads,
        int numLayers) {

    public VitConfig {
        require(imageSize > 0 && patchSize > 0, "image and patch size must be positive");
        require(imageSize % patchSize == 0,
                "patch size " + patchSize + " must divide image size " + imageSize);
        require(channels == 1 || channels == 3, "channels must be 1 or 3, got " + channels);
        require(hiddenSize > 0 && mlpDim > 0 && numLayers >= 0, "dimensions must be positive");
        require(numHeads > 0 && hiddenSize % numHeads == 0,
                "heads " + numHeads + " must divide hidden size " + hiddenSize);
    }

    /**
     * The project's default tiny ViT for 28x28 grayscale digits and clothes: 16 patches of 7x7 plus
     * the class token, width 64, 4 heads, MLP 128, 3 pre-LN blocks.
     */
    public static VitConfig tiny() {
        return new VitConfig(28, 7, 1, 64, 128, 4, 3);
    }

    /** Patches per image, i.e. tokens before the class token is prepended. */
    public int numPatches() {
        int side = imageSize / patchSize;
        return side * side;
    }

    /** Tokens the encoder sees: patches plus the class token. */
    public int sequenceLength() {
        return numPatches() + 1;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid ViT config: " + message);
        }
    }
}
