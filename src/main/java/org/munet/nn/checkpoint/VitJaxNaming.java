package org.munet.nn.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.munet.nn.HostTensor;
import org.munet.system.ComponentNames;

/**
 * A flax ViT's parameter tree as {@code .npz} checkpoints flatten it ('/'-joined keys), optionally
 * under big_vision's {@code params/} prefix. Two module namings: vit_jax's (the AugReg files µ2Net
 * starts from: {@code MultiHeadDotProductAttention_1}, {@code LayerNorm_0|2}, {@code MlpBlock_3},
 * {@code Transformer/posembed_input/pos_embedding}) and big_vision's own
 * ({@code MultiHeadDotProductAttention_0}, {@code LayerNorm_0|1}, {@code MlpBlock_0}, a top-level
 * {@code pos_embedding} without a class-token row). Flax layouts: Dense kernels (in, out), the
 * patch kernel HWIO, and attention kernels split per head, which is why these schemes, unlike the
 * others, record the number of heads.
 */
final class VitJaxNaming implements CheckpointNaming {

    private static final String PATCH = "embedding/kernel";
    private static final String BLOCK0 = "Transformer/encoderblock_0/";

    /** vit_jax's module names. */
    static VitJaxNaming vitJax() {
        return new VitJaxNaming("vit_jax npz", "MultiHeadDotProductAttention_1", "LayerNorm_0", "LayerNorm_2",
                "MlpBlock_3", "Transformer/posembed_input/pos_embedding");
    }

    /** big_vision's module names (its non-scanned layout: one encoderblock_i per layer). */
    static VitJaxNaming bigVision() {
        return new VitJaxNaming("big_vision npz", "MultiHeadDotProductAttention_0", "LayerNorm_0", "LayerNorm_1",
                "MlpBlock_0", "pos_embedding");
    }

    private final String name;
    private final String attention;
    private final String norm1;
    private final String norm2;
    private final String mlp;
    private final String posemb;
    private final String fc1;
    private final String query;

    private VitJaxNaming(String name, String attention, String norm1, String norm2, String mlp, String posemb) {
        this.name = name;
        this.attention = attention;
        this.norm1 = norm1;
        this.norm2 = norm2;
        this.mlp = mlp;
        this.posemb = posemb;
        fc1 = BLOCK0 + mlp + "/Dense_0/kernel";
        query = BLOCK0 + attention + "/query/kernel";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String exampleKeys() {
        return "[params/]embedding/kernel, cls, " + posemb + ", " + query;
    }

    /** The attention module's name tells the two apart; without blocks, the position embedding's key does. */
    @Override
    public boolean recognises(Set<String> keys) {
        boolean flax = keys.contains(PATCH) || keys.stream().anyMatch(k -> k.startsWith("Transformer/"));
        boolean mine = keys.stream().anyMatch(k -> k.startsWith(BLOCK0 + attention + "/")) || keys.contains(posemb);
        boolean other = keys.stream().anyMatch(k -> k.matches("Transformer/encoderblock_\\d+/MultiHeadDotProductAttention_\\d+/.*")
                && !k.contains("/" + attention + "/"));
        return flax && (mine || !other);
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
        return Map.of(PATCH, 4, fc1, 2, query, 3);
    }

    @Override
    public Pattern blockPattern() {
        return Pattern.compile("Transformer/encoderblock_(\\d+)/");
    }

    @Override
    public Shapes shapes(Map<String, HostTensor> t, int blocks) {
        long[] patch = t.get(PATCH).shape(); // (P, P, C, D)
        long[] mlpIn = t.get(fc1).shape(); // (D, mlp)
        long[] q = t.get(query).shape(); // (D, heads, head_dim)
        return new Shapes((int) patch[0], (int) patch[2], (int) patch[3], (int) mlpIn[1], (int) q[1], blocks);
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
        r.add(new TensorRule(posemb, null, ComponentNames.POSEMBED,
                "pos_embedding", Layout.AS_IS));
        for (int i = 0; i < s.blocks(); i++) {
            String b = "Transformer/encoderblock_" + i + "/";
            String c = ComponentNames.encoderBlock(i);
            r.add(TensorRule.of(b + norm1 + "/scale", c, "ln1.scale", Layout.AS_IS, d));
            r.add(TensorRule.of(b + norm1 + "/bias", c, "ln1.bias", Layout.AS_IS, d));
            String a = b + attention + "/";
            for (String[] qkv : new String[][] {{"query", "q"}, {"key", "k"}, {"value", "v"}}) {
                r.add(TensorRule.of(a + qkv[0] + "/kernel", c, "attention." + qkv[1] + ".weight", Layout.HEADS_OUT,
                        d, h, hd));
                r.add(TensorRule.of(a + qkv[0] + "/bias", c, "attention." + qkv[1] + ".bias", Layout.FLATTEN, h, hd));
            }
            r.add(TensorRule.of(a + "out/kernel", c, "attention.out.weight", Layout.HEADS_IN, h, hd, d));
            r.add(TensorRule.of(a + "out/bias", c, "attention.out.bias", Layout.AS_IS, d));
            r.add(TensorRule.of(b + norm2 + "/scale", c, "ln2.scale", Layout.AS_IS, d));
            r.add(TensorRule.of(b + norm2 + "/bias", c, "ln2.bias", Layout.AS_IS, d));
            String f = b + mlp + "/";
            r.add(TensorRule.of(f + "Dense_0/kernel", c, "mlp.fc1.weight", Layout.TRANSPOSE, d, m));
            r.add(TensorRule.of(f + "Dense_0/bias", c, "mlp.fc1.bias", Layout.AS_IS, m));
            r.add(TensorRule.of(f + "Dense_1/kernel", c, "mlp.fc2.weight", Layout.TRANSPOSE, m, d));
            r.add(TensorRule.of(f + "Dense_1/bias", c, "mlp.fc2.bias", Layout.AS_IS, d));
        }
        r.add(TensorRule.of("Transformer/encoder_norm/scale", ComponentNames.ENCODER_NORM, "scale", Layout.AS_IS, d));
        r.add(TensorRule.of("Transformer/encoder_norm/bias", ComponentNames.ENCODER_NORM, "bias", Layout.AS_IS, d));
        return r;
    }
}
