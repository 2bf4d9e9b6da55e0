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

    private static final String PATCH = TimmKeys.of(ComponentNames.EMBEDDING, "kernel");
    private static final String FC1 = TimmKeys.of(ComponentNames.encoderBlock(0), "mlp.fc1.weight");

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
        return Shapes.pytorch(t.get(PATCH).shape(), t.get(FC1).shape(), blocks);
    }

    @Override
    public List<TensorRule> rules(Shapes s) {
        long d = s.hiddenSize();
        long m = s.mlpDim();
        long p = s.patchSize();
        List<TensorRule> r = new ArrayList<>();
        r.add(rule(ComponentNames.EMBEDDING, "kernel", d, s.channels(), p, p));
        r.add(rule(ComponentNames.EMBEDDING, "bias", d));
        r.add(rule(ComponentNames.CLS, "cls", 1, 1, d));
        // Any length: resampled to the config's grid.
        r.add(new TensorRule(TimmKeys.of(ComponentNames.POSEMBED, "pos_embedding"), null, ComponentNames.POSEMBED,
                "pos_embedding", Layout.AS_IS));
        for (int i = 0; i < s.blocks(); i++) {
            String c = ComponentNames.encoderBlock(i);
            r.add(rule(c, "ln1.scale", d));
            r.add(rule(c, "ln1.bias", d));
            r.add(rule(c, "attention.qkv.weight", 3 * d, d));
            r.add(rule(c, "attention.qkv.bias", 3 * d));
            r.add(rule(c, "attention.out.weight", d, d));
            r.add(rule(c, "attention.out.bias", d));
            r.add(rule(c, "ln2.scale", d));
            r.add(rule(c, "ln2.bias", d));
            r.add(rule(c, "mlp.fc1.weight", m, d));
            r.add(rule(c, "mlp.fc1.bias", m));
            r.add(rule(c, "mlp.fc2.weight", d, m));
            r.add(rule(c, "mlp.fc2.bias", d));
        }
        r.add(rule(ComponentNames.ENCODER_NORM, "scale", d));
        r.add(rule(ComponentNames.ENCODER_NORM, "bias", d));
        return r;
    }

    /** A tensor stored under timm's key for the parameter, in munet's own layout. */
    private static TensorRule rule(String component, String parameter, long... shape) {
        return TensorRule.of(TimmKeys.of(component, parameter), component, parameter, Layout.AS_IS, shape);
    }
}
