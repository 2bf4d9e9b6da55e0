package org.munet.config;

import org.munet.system.CheckpointDims;
import org.munet.system.ModelDims;

/**
 * The system's dimensions when its root is a pretrained checkpoint: the checkpoint's, with every
 * {@code model.*} key the config sets explicitly checked against them (a conflict names both values),
 * since a config cannot reshape pretrained weights.
 */
final class CheckpointModel {

    private CheckpointModel() {}

    static ModelDims dims(EvolutionConfig.Model m, CheckpointDims c) {
        String from = "the root checkpoint " + c.source();
        agree("model.patch_size", m.patchSize(), c.patchSize(), from + " has patch size " + c.patchSize());
        if (m.channels() != null && m.channels() == 1 && c.channels() == 3) {
            throw new IllegalArgumentException(from + " takes RGB images (3 input channels) but model.channels is 1:"
                    + " set model.channels: 3 (grayscale images are tiled to 3 channels automatically)");
        }
        agree("model.channels", m.channels(), c.channels(), from + " takes " + c.channels() + " input channels");
        agree("model.hidden_size", m.hiddenSize(), c.hiddenSize(), from + " has width " + c.hiddenSize());
        agree("model.mlp_dim", m.mlpDim(), c.mlpDim(), from + " has MLP width " + c.mlpDim());
        int heads;
        if (c.numHeads() != null) {
            agree("model.num_heads", m.numHeads(), c.numHeads(), from + " has " + c.numHeads() + " attention heads");
            heads = c.numHeads();
        } else if (m.numHeads() != null) {
            heads = m.numHeads();
        } else {
            throw new IllegalArgumentException(from + " does not record its number of attention heads (timm and"
                    + " Hugging Face weights do not): set model.num_heads, e.g. 3 for ViT-Ti, 6 for ViT-S, 12 for"
                    + " ViT-B, 16 for ViT-L (it must divide the width " + c.hiddenSize() + ")");
        }
        try {
            return new ModelDims(c.patchSize(), c.channels(), c.hiddenSize(), c.mlpDim(), heads);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(from + ": " + e.getMessage(), e);
        }
    }

    /**
     * The default depth under a checkpoint root: {@code model.num_layers} if set, else the reference
     * default capped at the checkpoint's blocks.
     */
    static int numLayers(EvolutionConfig.Model m, CheckpointDims c, int referenceDefault) {
        return m.numLayers() != null ? m.numLayers() : Math.min(referenceDefault, c.numLayers());
    }

    /** Every depth a path may have must exist among the checkpoint's blocks (the root holds them all). */
    static void checkDepth(int deepest, CheckpointDims c) {
        if (deepest > c.numLayers()) {
            throw new IllegalArgumentException("the root checkpoint " + c.source() + " holds " + c.numLayers()
                    + " encoder blocks, but paths may have " + deepest + " (model.num_layers or"
                    + " evolution.num_layers_range): use at most " + c.numLayers());
        }
    }

    private static void agree(String key, Integer configured, int fromCheckpoint, String what) {
        if (configured != null && configured != fromCheckpoint) {
            throw new IllegalArgumentException(key + " is " + configured + " but " + what + ": remove " + key
                    + " (it is taken from the checkpoint) or set it to " + fromCheckpoint);
        }
    }
}
