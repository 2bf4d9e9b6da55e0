package org.munet.system;

/**
 * The backbone dimensions one system shares (the reference's ViT config): they fix every
 * component's shape except the position embedding (image size), adapters (adapter_dim) and heads
 * (classes), which the path's hyperparameters decide. Messages name the config's {@code model.*}
 * keys, which these are.
 */
public record ModelDims(int patchSize, int channels, int hiddenSize, int mlpDim, int numHeads) {

    public ModelDims {
        positive("model.patch_size", patchSize);
        positive("model.hidden_size", hiddenSize);
        positive("model.mlp_dim", mlpDim);
        positive("model.num_heads", numHeads);
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("model.hidden_size (" + hiddenSize + ") must be a multiple of"
                    + " model.num_heads (" + numHeads + ")");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("model.channels must be 1 or 3, got " + channels);
        }
    }

    /**
     * Checks that images of side {@code imageSize} cut into whole patches; the one home of that
     * rule, for the config and for the ViT.
     */
    public void checkImageSize(int imageSize) {
        positive("model.image_size", imageSize);
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException("model.image_size (" + imageSize + ") must be a multiple of"
                    + " model.patch_size (" + patchSize + ")");
        }
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, got " + value);
        }
    }
}
