package org.munet.nn.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.munet.nn.HostTensor;
import org.munet.system.ComponentNames;

/**
 * vit_jax's flax parameter tree as its {@code .npz} checkpoints flatten it ('/'-joined keys; the
 * AugReg files µ2Net starts from), also with big_vision's {@code params/} prefix. Flax layouts:
 * Dense kernels (in, out), the patch kernel HWIO, and attention kernels split per head, which is
 * why this scheme, unlike the others, records the number of heads.
 */
final class VitJaxNaming implements CheckpointNaming {

    private static final String PATCH = "embedding/kernel";
    private static final String BLOCK0 = "Transformer/encoderblock_0/";
    private static final String FC1 = BLOCK0 + "MlpBlock_3/Dense_0/kernel";
    private static final String QUERY = BLOCK0 + "MultiHeadDotProductAttention_1/query/kernel";

    @Override
    public String name() {
        return "vit_jax/big_vision npz";
    }

    @Override
    public String exampleKeys() {
        return "[params/]embedding/kernel, cls, Transformer/posembed_input/pos_embedding,"
                + " Transformer/encoderblock_0/MultiHeadDotProductAttention_1/query/kernel";
    }

    @Override
    public boolean recognises(Set<String> keys) {
        return keys.contains(PATCH) || keys.stream().anyMatch(k -> k.startsWith("Transformer/"));
    }

    @Override
    public Map<String, HostTensor> stripPrefix(Map<String, HostTensor> tensors) {
        return CheckpointNaming.strip(tensors, "params/");
    }

    @Override
    public boolean ignored(String key) {
        return key.startsWith("head/");
    }

    @Override
    public Map<String, Integer> dimensionKeys() {
        return Map.of(PATCH, 4, FC1, 2, QUERY, 3);
    }

    @Override
    public Pattern blockPattern() {
        return Pattern.compile("Transformer/encoderblock_(\\d+)/");
    }

    @Override
    public Shapes shapes(Map<String, HostTensor> t, int blocks) {
        long[] patch = t.get(PATCH).shape(); // (P, P, C, D)
        long[] fc1 = t.get(FC1).shape(); // (D, mlp)
        long[] query = t.get(QUERY).shape(); // (D, heads, head_dim)
        return new Shapes((int) patch[0], (int) patch[2], (int) patch[3], (int) fc1[1], (int) query[1], blocks);
    }

    @Override
    public List<TensorRule> rules(Shapes s) {
        long d = s.hiddenSize();
        long m = s.mlpDim();
        long p = s.patchSize();
        long h = s.numHeads();
        long hd = d / h;
        List<TensorRule> r = new ArrayList<>();
        r.add(TensorRule.of(PATCH, ComponentNames.EMBEDDING, "kernel", Layout.HWIO_TO_OIHW, p, p, s.channels(), d));
        r.add(TensorRule.of("embedding/bias", ComponentNames.EMBEDDING, "bias", Layout.AS_IS, d));
        r.add(TensorRule.of("cls", ComponentNames.CLS, "cls", Layout.AS_IS, 1, 1, d));
        r.add(new TensorRule("Transformer/posembed_input/pos_embedding", null, ComponentNames.POSEMBED,
                "pos_embedding", Layout.AS_IS));
        for (int i = 0; i < s.blocks(); i++) {
            String b = "Transformer/encoderblock_" + i + "/";
            String c = ComponentNames.encoderBlock(i);
            r.add(TensorRule.of(b + "LayerNorm_0/scale", c, "ln1.scale", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "LayerNorm_0/bias", c, "ln1.bias", Layout.AS_IS, d));
            String a = b + "MultiHeadDotProductAttention_1/";
            for (String[] qkv : new String[][] {{"query", "q"}, {"key", "k"}, {"value", "v"}}) {
                r.add(TensorRule.of(a + qkv[0] + "/kernel", c, "attention." + qkv[1] + ".weight", Layout.HEADS_OUT,
                        d, h, hd));
                r.add(TensorRule.of(a + qkv[0] + "/bias", c, "attention." + qkv[1] + ".bias", Layout.FLATTEN, h, hd));
            }
            r.add(TensorRule.of(a + "out/kernel", c, "attention.out.weight", Layout.HEADS_IN, h, hd, d));
            r.add(TensorRule.of(a + "out/bias", c, "attention.out.bias", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "LayerNorm_2/scale", c, "ln2.scale", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "LayerNorm_2/bias", c, "ln2.bias", Layout.AS_IS, d));
            r.add(TensorRule.of(b + "MlpBlock_3/Dense_0/kernel", c, "mlp.fc1.weight", Layout.TRANSPOSE, d, m));
            r.add(TensorRule.of(b + "MlpBlock_3/Dense_0/bias", c, "mlp.fc1.bias", Layout.AS_IS, m));
            r.add(TensorRule.of(b + "MlpBlock_3/Dense_1/kernel", c, "mlp.fc2.weight", Layout.TRANSPOSE, m, d));
            r.add(TensorRule.of(b + "MlpBlock_3/Dense_1/bias", c, "mlp.fc2.bias", Layout.AS_IS, d));
        }
        r.add(TensorRule.of("Transformer/encoder_norm/scale", ComponentNames.ENCODER_NORM, "scale", Layout.AS_IS, d));
        r.add(TensorRule.of("Transformer/encoder_norm/bias", ComponentNames.ENCODER_NORM, "bias", Layout.AS_IS, d));
        return r;
    }
}
