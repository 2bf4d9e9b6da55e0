package org.munet.nn.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.munet.nn.HostTensor;
import org.munet.system.ComponentNames;

/**
 * timm's {@code VisionTransformer} state dict ({@code model.state_dict()}, or timm's own
 * safetensors files): PyTorch layouts throughout, query/key/value already fused as munet fuses them.
 * timm keeps LayerNorm eps 1e-6, as munet does.
 */
final class TimmNaming implements CheckpointNaming {

    private static final String PATCH = "patch_embed.proj.weight";
    private static final String FC1 = "blocks.0.mlp.fc1.weight";

    @Override
    public String name() {
        return "timm";
    }

    @Override
    public String exampleKeys() {
        return "patch_embed.proj.weight, cls_token, pos_embed, blocks.0.attn.qkv.weight, norm.weight";
    }

    @Override
    public boolean recognises(Set<String> keys) {
        return keys.contains(PATCH) || keys.contains("cls_token") || keys.stream().anyMatch(k -> k.startsWith("blocks."));
    }

    @Override
    public Map<String, HostTensor> stripPrefix(Map<String, HostTensor> tensors) {
        return tensors;
    }

    @Override
    public boolean ignored(String key) {
        return key.startsWith("head.");
    }

    @Override
    public Map<String, Integer> dimensionKeys() {
        return Map.of(PATCH, 4, FC1, 2);
    }

    @Override
    public Pattern blockPattern() {
        return Pattern.compile("blocks\\.(\\d+)\\.");
    }

    @Override
    public Shapes shapes(Map<String, HostTensor> t, int blocks) {
        long[] patch = t.get(PATCH).shape(); // (D, C, P, P)
        long[] fc1 = t.get(FC1).shape(); // (mlp, D)
        return new Shapes((int) patch[2], (int) patch[1], (int) patch[0], (int) fc1[0], null, blocks);
    }

    @Override
    public List<TensorRule> rules(Shapes s) {
        long d = s.hiddenSize();
        long m = s.mlpDim();
        long p = s.patchSize();
        List<TensorRule> r = new ArrayList<>();
        r.add(TensorRule.of(PATCH, ComponentNames.EMBEDDING, "kernel", Layout.AS_IS, d, s.channels(), p, p));
        r.add(TensorRule.of("patch_embed.proj.bias", ComponentNames.EMBEDDING, "bias", Layout.AS_IS, d));
        r.add(TensorRule.of("cls_token", ComponentNames.CLS, "cls", Layout.AS_IS, 1, 1, d));
        r.add(new TensorRule("pos_embed", null, ComponentNames.POSEMBED, "pos_embedding", Layout.AS_IS));
        for (int i = 0; i < s.blocks(); i++) {
            String b = "blocks." + i + ".";
            String c = ComponentNames.encoderBlock(i);
            r.add(TensorRule.of(b + "norm1.weight", c, "ln1.scale", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "norm1.bias", c, "ln1.bias", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "attn.qkv.weight", c, "attention.qkv.weight", Layout.AS_IS, 3 * d, d));
            r.add(TensorRule.of(b + "attn.qkv.bias", c, "attention.qkv.bias", Layout.AS_IS, 3 * d));
            r.add(TensorRule.of(b + "attn.proj.weight", c, "attention.out.weight", Layout.AS_IS, d, d));
            r.add(TensorRule.of(b + "attn.proj.bias", c, "attention.out.bias", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "norm2.weight", c, "ln2.scale", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "norm2.bias", c, "ln2.bias", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "mlp.fc1.weight", c, "mlp.fc1.weight", Layout.AS_IS, m, d));
            r.add(TensorRule.of(b + "mlp.fc1.bias", c, "mlp.fc1.bias", Layout.AS_IS, m));
            r.add(TensorRule.of(b + "mlp.fc2.weight", c, "mlp.fc2.weight", Layout.AS_IS, d, m));
            r.add(TensorRule.of(b + "mlp.fc2.bias", c, "mlp.fc2.bias", Layout.AS_IS, d));
        }
        r.add(TensorRule.of("norm.weight", ComponentNames.ENCODER_NORM, "scale", Layout.AS_IS, d));
        r.add(TensorRule.of("norm.bias", ComponentNames.ENCODER_NORM, "bias", Layout.AS_IS, d));
        return r;
    }
}
