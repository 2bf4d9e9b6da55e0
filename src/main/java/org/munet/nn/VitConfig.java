package org.munet.nn;

import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;
import org.munet.system.ReferenceDefaults;

/**
 * Dimensions of the ViT backbone a path is built with: the system's shared dimensions plus the two
 * that a path's hyperparameters choose.
 *
 * <p>The reference (vit_jax AugReg Ti/B/L) fixes the dimensions per experiment; a component's
 * shape follows from them, so two components of the same name are interchangeable exactly when the
 * config matches. The image size only fixes the position embedding (one slot per patch plus the
 * class token).
 *
 * @param dims patch size, channels, token width, MLP width and heads (checked by {@link ModelDims})
 * @param imageSize side of the square input image in pixels ({@code ds_image_size}); a multiple of
 *     the patch size
 * @param numLayers encoder blocks ({@code num_layers})
 */
public record VitConfig(ModelDims dims, int imageSize, int numLayers) {

    /** Epsilon of every LayerNorm (flax's default; timm's ViT uses the same). */
    public static final float LAYER_NORM_EPS = 1e-6f;

    public VitConfig {
        try {
            dims.checkImageSize(imageSize);
            if (numLayers < 0) {
                throw new IllegalArgumentException("num_layers must be at least 0, got " + numLayers);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid ViT config: " + e.getMessage(), e);
        }
    }

    /** The backbone a path with hyperparameters {@code h} has in a system of dimensions {@code dims}. */
    public static VitConfig of(ModelDims dims, Hyperparams h) {
        return new VitConfig(dims, h.getInt(HparamKeys.DS_IMAGE_SIZE), h.getInt(HparamKeys.NUM_LAYERS));
    }

    /**
     * The project's default tiny ViT for 28x28 grayscale digits and clothes: 16 patches of 7x7 plus
     * the class token, width 64, 4 heads, MLP 128, 3 pre-LN blocks.
     */
    public static VitConfig tiny() {
        return of(ReferenceDefaults.DIMS, ReferenceDefaults.hyperparams());
    }

    public int patchSize() {
        return dims.patchSize();
    }

    /** Input channels (1 for native grayscale, 3 for RGB or tiled grayscale). */
    public int channels() {
        return dims.channels();
    }

    /** Token width D. */
    public int hiddenSize() {
        return dims.hiddenSize();
    }

    /** Hidden width of each encoder block's MLP. */
    public int mlpDim() {
        return dims.mlpDim();
    }

    public int numHeads() {
        return dims.numHeads();
    }

    /** Patches per image, i.e. tokens before the class token is prepended. */
    public int numPatches() {
        int side = imageSize / patchSize();
        return side * side;
    }

    /** Tokens the encoder sees: patches plus the class token. */
    public int sequenceLength() {
        return numPatches() + 1;
    }
}
