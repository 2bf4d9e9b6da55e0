package org.munet.system;

/**
 * The backbone dimensions a pretrained checkpoint fixes (spec §1.5): when a system starts from a
 * checkpoint these, not the config's {@code model.*} defaults, are the system's {@link ModelDims}.
 * Pure data, so the config can reconcile them with its explicit keys without knowing the engine.
 *
 * @param source the checkpoint's URI, for messages
 * @param patchSize side of the patch-embedding kernel
 * @param channels input channels of the patch-embedding kernel
 * @param hiddenSize token width D
 * @param mlpDim hidden width of each block's MLP
 * @param numHeads attention heads when the checkpoint records them (vit_jax kernels do), else null:
 *     timm and Hugging Face store fused or square projections that do not say how they are split
 * @param numLayers encoder blocks the checkpoint holds (the root holds all of them)
 */
public record CheckpointDims(String source, int patchSize, int channels, int hiddenSize, int mlpDim,
        Integer numHeads, int numLayers) {}
