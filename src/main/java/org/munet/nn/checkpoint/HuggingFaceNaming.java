package org.munet.nn.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.munet.nn.HostTensor;
import org.munet.system.ComponentNames;

/**
 * Hugging Face transformers' {@code ViTModel} / {@code ViTForImageClassification} (the latter with
 * the {@code vit.} prefix): PyTorch layouts, separate query/key/value projections.
 *
 * <p>Hugging Face's ViT LayerNorms use eps 1e-12; munet keeps 1e-6 (timm's and flax's) for every
 * root. A deliberate deviation: with unit-scale activations the two differ by about 5e-7 relative,
 * far below training noise.
 */
final class HuggingFaceNaming implements CheckpointNaming {

    private static final String PATCH = "embeddings.patch_embeddings.projection.weight";
    private static final String FC1 = "encoder.layer.0.intermediate.dense.weight";

    @Override
    public String name() {
        return "Hugging Face ViT";
    }

    @Override
    public String exampleKeys() {
        return "[vit.]embeddings.patch_embeddings.projection.weight, [vit.]embeddings.cls_token,"
                + " [vit.]encoder.layer.0.attention.attention.query.weight, [vit.]layernorm.weight";
    }

    @Override
    public boolean recognises(Set<String> keys) {
        return keys.contains(PATCH) || keys.stream().anyMatch(k -> k.startsWith("encoder.layer.") || k.startsWith("embeddings."));
    }

    @Override
    public Map<String, HostTensor> stripPrefix(Map<String, HostTensor> tensors) {
        return CheckpointNaming.strip(tensors, "vit.");
    }

    /**
     * The classifier is never reused; the pooler (tanh dense on the class token) only feeds
     * Hugging Face's pooled output, which munet's head does not read; the mask token is used only in
     * masked-image pre-training.
     */
    @Override
    public boolean ignored(String key) {
        return key.startsWith("classifier.") || key.startsWith("pooler.") || key.equals("embeddings.mask_token");
    }

    @Override
    public Map<String, Integer> dimensionKeys() {
        return Map.of(PATCH, 4, FC1, 2);
    }

    @Override
    public Pattern blockPattern() {
        return Pattern.compile("encoder\\.layer\\.(\\d+)\\.");
    }

    @Override
    public Shapes shapes(Map<String, HostTensor> t, int blocks) {
        return Shapes.pytorch(t.get(PATCH).shape(), t.get(FC1).shape(), blocks);
    }

    @Override
    public List<TensorRule> rules(Shapes s) {
        long d = s.hiddenSize();
        long m = s.mlpDim();
        long p = s.patchSize();
        List<TensorRule> r = new ArrayList<>();
        r.add(TensorRule.of(PATCH, ComponentNames.EMBEDDING, "kernel", Layout.AS_IS, d, s.channels(), p, p));
        r.add(TensorRule.of("embeddings.patch_embeddings.projection.bias", ComponentNames.EMBEDDING, "bias",
                Layout.AS_IS, d));
        r.add(TensorRule.of("embeddings.cls_token", ComponentNames.CLS, "cls", Layout.AS_IS, 1, 1, d));
        r.add(new TensorRule("embeddings.position_embeddings", null, ComponentNames.POSEMBED, "pos_embedding",
                Layout.AS_IS));
        for (int i = 0; i < s.blocks(); i++) {
            String b = "encoder.layer." + i + ".";
            String c = ComponentNames.encoderBlock(i);
            r.add(TensorRule.of(b + "layernorm_before.weight", c, "ln1.scale", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "layernorm_before.bias", c, "ln1.bias", Layout.AS_IS, d));
            for (String[] qkv : new String[][] {{"query", "q"}, {"key", "k"}, {"value", "v"}}) {
                String a = b + "attention.attention." + qkv[0];
                r.add(TensorRule.of(a + ".weight", c, "attention." + qkv[1] + ".weight", Layout.AS_IS, d, d));
                r.add(TensorRule.of(a + ".bias", c, "attention." + qkv[1] + ".bias", Layout.AS_IS, d));
            }
            r.add(TensorRule.of(b + "attention.output.dense.weight", c, "attention.out.weight", Layout.AS_IS, d, d));
            r.add(TensorRule.of(b + "attention.output.dense.bias", c, "attention.out.bias", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "layernorm_after.weight", c, "ln2.scale", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "layernorm_after.bias", c, "ln2.bias", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "intermediate.dense.weight", c, "mlp.fc1.weight", Layout.AS_IS, m, d));
            r.add(TensorRule.of(b + "intermediate.dense.bias", c, "mlp.fc1.bias", Layout.AS_IS, m));
            r.add(TensorRule.of(b + "output.dense.weight", c, "mlp.fc2.weight", Layout.AS_IS, d, m));
            r.add(TensorRule.of(b + "output.dense.bias", c, "mlp.fc2.bias", Layout.AS_IS, d));
        }
        r.add(TensorRule.of("layernorm.weight", ComponentNames.ENCODER_NORM, "scale", Layout.AS_IS, d));
        r.add(TensorRule.of("layernorm.bias", ComponentNames.ENCODER_NORM, "bias", Layout.AS_IS, d));
        return r;
    }
}
