package org.munet.nn.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.munet.nn.HostTensor;

/**
 * Random weights of a tiny ViT in munet's layout, and the same weights in timm, Hugging Face and
 * vit_jax naming (each with a classifier head, which the importer must ignore). The conversions
 * here are the inverse of the importer's, written independently of it.
 */
public final class TinyVitWeights {

    final int width;
    final int heads;
    final int mlp;
    final int patch;
    final int channels;
    final int blocks;
    final int grid;
    /** Component name to parameter name to tensor, munet's layout. */
    public final Map<String, Map<String, HostTensor>> munet = new LinkedHashMap<>();

    public TinyVitWeights(int width, int heads, int mlp, int patch, int channels, int blocks, int grid, long seed) {
        this.width = width;
        this.heads = heads;
        this.mlp = mlp;
        this.patch = patch;
        this.channels = channels;
        this.blocks = blocks;
        this.grid = grid;
        SplittableRandom rng = new SplittableRandom(seed);
        put("embedding", "kernel", rng, width, channels, patch, patch);
        put("embedding", "bias", rng, width);
        put("cls", "cls", rng, 1, 1, width);
        put("posembed_input", "pos_embedding", rng, 1, 1 + grid * grid, width);
        for (int i = 0; i < blocks; i++) {
            String b = "encoderblock_" + i;
            put(b, "ln1.scale", rng, width);
            put(b, "ln1.bias", rng, width);
            put(b, "attention.qkv.weight", rng, 3 * width, width);
            put(b, "attention.qkv.bias", rng, 3 * width);
            put(b, "attention.out.weight", rng, width, width);
            put(b, "attention.out.bias", rng, width);
            put(b, "ln2.scale", rng, width);
            put(b, "ln2.bias", rng, width);
            put(b, "mlp.fc1.weight", rng, mlp, width);
            put(b, "mlp.fc1.bias", rng, mlp);
            put(b, "mlp.fc2.weight", rng, width, mlp);
            put(b, "mlp.fc2.bias", rng, width);
        }
        put("encoder_norm", "scale", rng, width);
        put("encoder_norm", "bias", rng, width);
    }

    /** A tiny default: width 8, 2 heads, MLP 12, patch 2, 3 channels, 2 blocks, 3x3 grid. */
    static TinyVitWeights small() {
        return new TinyVitWeights(8, 2, 12, 2, 3, 2, 3, 11);
    }

    HostTensor get(String component, String param) {
        return munet.get(component).get(param);
    }

    public Map<String, HostTensor> timm() {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("cls_token", get("cls", "cls"));
        t.put("pos_embed", get("posembed_input", "pos_embedding"));
        t.put("patch_embed.proj.weight", get("embedding", "kernel"));
        t.put("patch_embed.proj.bias", get("embedding", "bias"));
        for (int i = 0; i < blocks; i++) {
            String b = "encoderblock_" + i;
            String k = "blocks." + i + ".";
            t.put(k + "norm1.weight", get(b, "ln1.scale"));
            t.put(k + "norm1.bias", get(b, "ln1.bias"));
            t.put(k + "attn.qkv.weight", get(b, "attention.qkv.weight"));
            t.put(k + "attn.qkv.bias", get(b, "attention.qkv.bias"));
            t.put(k + "attn.proj.weight", get(b, "attention.out.weight"));
            t.put(k + "attn.proj.bias", get(b, "attention.out.bias"));
            t.put(k + "norm2.weight", get(b, "ln2.scale"));
            t.put(k + "norm2.bias", get(b, "ln2.bias"));
            t.put(k + "mlp.fc1.weight", get(b, "mlp.fc1.weight"));
            t.put(k + "mlp.fc1.bias", get(b, "mlp.fc1.bias"));
            t.put(k + "mlp.fc2.weight", get(b, "mlp.fc2.weight"));
            t.put(k + "mlp.fc2.bias", get(b, "mlp.fc2.bias"));
        }
        t.put("norm.weight", get("encoder_norm", "scale"));
        t.put("norm.bias", get("encoder_norm", "bias"));
        t.put("head.weight", new HostTensor(new long[] {10, width}, new float[10 * width]));
        t.put("head.bias", new HostTensor(new long[] {10}, new float[10]));
        return t;
    }

    /** transformers' ViTForImageClassification: "vit." prefix, separate q/k/v, a classifier. */
    Map<String, HostTensor> huggingFace() {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        String v = "vit.";
        t.put(v + "embeddings.cls_token", get("cls", "cls"));
        t.put(v + "embeddings.position_embeddings", get("posembed_input", "pos_embedding"));
        t.put(v + "embeddings.patch_embeddings.projection.weight", get("embedding", "kernel"));
        t.put(v + "embeddings.patch_embeddings.projection.bias", get("embedding", "bias"));
        for (int i = 0; i < blocks; i++) {
            String b = "encoderblock_" + i;
            String k = v + "encoder.layer." + i + ".";
            String[] names = {"query", "key", "value"};
            for (int j = 0; j < 3; j++) {
                t.put(k + "attention.attention." + names[j] + ".weight", rows(get(b, "attention.qkv.weight"), j));
                t.put(k + "attention.attention." + names[j] + ".bias", rows(get(b, "attention.qkv.bias"), j));
            }
            t.put(k + "attention.output.dense.weight", get(b, "attention.out.weight"));
            t.put(k + "attention.output.dense.bias", get(b, "attention.out.bias"));
            t.put(k + "layernorm_before.weight", get(b, "ln1.scale"));
            t.put(k + "layernorm_before.bias", get(b, "ln1.bias"));
            t.put(k + "layernorm_after.weight", get(b, "ln2.scale"));
            t.put(k + "layernorm_after.bias", get(b, "ln2.bias"));
            t.put(k + "intermediate.dense.weight", get(b, "mlp.fc1.weight"));
            t.put(k + "intermediate.dense.bias", get(b, "mlp.fc1.bias"));
            t.put(k + "output.dense.weight", get(b, "mlp.fc2.weight"));
            t.put(k + "output.dense.bias", get(b, "mlp.fc2.bias"));
        }
        t.put(v + "layernorm.weight", get("encoder_norm", "scale"));
        t.put(v + "layernorm.bias", get("encoder_norm", "bias"));
        t.put("classifier.weight", new HostTensor(new long[] {10, width}, new float[10 * width]));
        t.put("classifier.bias", new HostTensor(new long[] {10}, new float[10]));
        return t;
    }

    /** vit_jax's flattened flax tree: kernels (in, out), HWIO patch kernel, per-head attention kernels. */
    Map<String, HostTensor> vitJax(String prefix) {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        int hd = width / heads;
        t.put(prefix + "cls", get("cls", "cls"));
        t.put(prefix + "embedding/kernel", oihwToHwio(get("embedding", "kernel")));
        t.put(prefix + "embedding/bias", get("embedding", "bias"));
        t.put(prefix + "Transformer/posembed_input/pos_embedding", get("posembed_input", "pos_embedding"));
        for (int i = 0; i < blocks; i++) {
            String b = "encoderblock_" + i;
            String k = prefix + "Transformer/encoderblock_" + i + "/";
            String a = k + "MultiHeadDotProductAttention_1/";
            String[] names = {"query", "key", "value"};
            for (int j = 0; j < 3; j++) {
                HostTensor w = transpose(rows(get(b, "attention.qkv.weight"), j)); // (in, out)
                t.put(a + names[j] + "/kernel", new HostTensor(new long[] {width, heads, hd}, w.values()));
                t.put(a + names[j] + "/bias", new HostTensor(new long[] {heads, hd},
                        rows(get(b, "attention.qkv.bias"), j).values()));
            }
            t.put(a + "out/kernel", new HostTensor(new long[] {heads, hd, width},
                    transpose(get(b, "attention.out.weight")).values()));
            t.put(a + "out/bias", get(b, "attention.out.bias"));
            t.put(k + "LayerNorm_0/scale", get(b, "ln1.scale"));
            t.put(k + "LayerNorm_0/bias", get(b, "ln1.bias"));
            t.put(k + "LayerNorm_2/scale", get(b, "ln2.scale"));
            t.put(k + "LayerNorm_2/bias", get(b, "ln2.bias"));
            t.put(k + "MlpBlock_3/Dense_0/kernel", transpose(get(b, "mlp.fc1.weight")));
            t.put(k + "MlpBlock_3/Dense_0/bias", get(b, "mlp.fc1.bias"));
            t.put(k + "MlpBlock_3/Dense_1/kernel", transpose(get(b, "mlp.fc2.weight")));
            t.put(k + "MlpBlock_3/Dense_1/bias", get(b, "mlp.fc2.bias"));
        }
        t.put(prefix + "Transformer/encoder_norm/scale", get("encoder_norm", "scale"));
        t.put(prefix + "Transformer/encoder_norm/bias", get("encoder_norm", "bias"));
        t.put(prefix + "head/kernel", new HostTensor(new long[] {width, 10}, new float[10 * width]));
        t.put(prefix + "head/bias", new HostTensor(new long[] {10}, new float[10]));
        return t;
    }

    /**
     * big_vision's own module names ({@code MultiHeadDotProductAttention_0}, {@code LayerNorm_1},
     * {@code MlpBlock_0}) and its top-level position embedding, which has no class-token row: big_vision
     * adds it to the patches before the class token is prepended.
     */
    Map<String, HostTensor> bigVision(String prefix) {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        for (Map.Entry<String, HostTensor> e : vitJax(prefix).entrySet()) {
            String k = e.getKey().replace("MultiHeadDotProductAttention_1", "MultiHeadDotProductAttention_0")
                    .replace("LayerNorm_2", "LayerNorm_1").replace("MlpBlock_3", "MlpBlock_0");
            if (k.endsWith("Transformer/posembed_input/pos_embedding")) {
                float[] v = e.getValue().values();
                t.put(prefix + "pos_embedding", new HostTensor(new long[] {1, (long) grid * grid, width},
                        java.util.Arrays.copyOfRange(v, width, v.length)));
            } else {
                t.put(k, e.getValue());
            }
        }
        return t;
    }

    private void put(String component, String param, SplittableRandom rng, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        munet.computeIfAbsent(component, c -> new LinkedHashMap<>()).put(param, new HostTensor(shape, v));
    }

    /** The j-th third of a tensor's rows (q, k or v of a fused projection). */
    static HostTensor rows(HostTensor t, int j) {
        long[] s = t.shape().clone();
        s[0] /= 3;
        int n = t.values().length / 3;
        float[] out = new float[n];
        System.arraycopy(t.values(), j * n, out, 0, n);
        return new HostTensor(s, out);
    }

    static HostTensor transpose(HostTensor t) {
        int r = (int) t.shape()[0];
        int c = (int) t.shape()[1];
        float[] out = new float[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                out[j * r + i] = t.values()[i * c + j];
            }
        }
        return new HostTensor(new long[] {c, r}, out);
    }

    static HostTensor oihwToHwio(HostTensor t) {
        long[] s = t.shape();
        int o = (int) s[0];
        int in = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        float[] out = new float[t.values().length];
        for (int a = 0; a < o; a++) {
            for (int b = 0; b < in; b++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[((y * w + x) * in + b) * o + a] = t.values()[((a * in + b) * h + y) * w + x];
                    }
                }
            }
        }
        return new HostTensor(new long[] {h, w, in, o}, out);
    }
}
