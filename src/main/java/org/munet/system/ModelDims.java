package org.munet.system;

/**
 * The backbone dimensions one system shares (the reference's ViT config): they fix every
 * component's shape except the position embedding (image size), adapters (adapter_dim) and heads
 * (classes), which the path's hyperparameters decide.
 */
public record ModelDims(int patchSize, int channels, int hiddenSize, int mlpDim, int numHeads) {

    public ModelDims {
        if (patchSize <= 0 || hiddenSize <= 0 || mlpDim <= 0 || numHeads <= 0 || hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("invalid model dimensions: " + this);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
    }
}
