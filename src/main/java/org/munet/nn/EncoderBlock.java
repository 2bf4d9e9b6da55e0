package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.munet.system.ComponentNames;

/**
 * {@code encoderblock_i}: a pre-LN transformer encoder block, as in vit_jax:
 * {@code x = x + MHSA(LN1(x)); x = x + MLP(LN2(x))}, MLP = Dense -> GELU -> Dense, no dropout.
 *
 * <p>Not DJL's {@code TransformerEncoderBlock}, which is post-norm with BatchNorm (platform-notes,
 * trap 5). Query, key and value projections are fused in one (3D, D) weight for speed; rows
 * [0, D) are the query, [D, 2D) the key, [2D, 3D) the value. Inits: xavier-uniform kernels, zero
 * attention biases, MLP biases N(0, 1e-6), LayerNorms 1/0 (spec §1.1).
 *
 * <p>Deliberate deviation: GELU is the exact erf form (PyTorch's default); flax's default is the
 * tanh approximation. The difference is below 1e-3 per activation.
 */
public final class EncoderBlock extends ComponentBlock {

    private final VitConfig config;
    private final int layer;
    private final int width;
    private final int mlpDim;
    private final int heads;
    private final int headDim;
    private final Parameter ln1Scale;
    private final Parameter ln1Bias;
    private final Parameter qkvWeight;
    private final Parameter qkvBias;
    private final Parameter outWeight;
    private final Parameter outBias;
    private final Parameter ln2Scale;
    private final Parameter ln2Bias;
    private final Parameter mlp1Weight;
    private final Parameter mlp1Bias;
    private final Parameter mlp2Weight;
    private final Parameter mlp2Bias;

    public EncoderBlock(VitConfig config, int layer) {
        super(ComponentNames.encoderBlock(layer));
        this.config = config;
        this.layer = layer;
        width = config.hiddenSize();
        mlpDim = config.mlpDim();
        heads = config.numHeads();
        headDim = width / heads;
        ln1Scale = declare("ln1.scale", new Shape(width));
        ln1Bias = declare("ln1.bias", new Shape(width));
        qkvWeight = declare("attention.qkv.weight", new Shape(3L * width, width));
        qkvBias = declare("attention.qkv.bias", new Shape(3L * width));
        outWeight = declare("attention.out.weight", new Shape(width, width));
        outBias = declare("attention.out.bias", new Shape(width));
        ln2Scale = declare("ln2.scale", new Shape(width));
        ln2Bias = declare("ln2.bias", new Shape(width));
        mlp1Weight = declare("mlp.fc1.weight", new Shape(mlpDim, width));
        mlp1Bias = declare("mlp.fc1.bias", new Shape(mlpDim));
        mlp2Weight = declare("mlp.fc2.weight", new Shape(width, mlpDim));
        mlp2Bias = declare("mlp.fc2.bias", new Shape(width));
    }

    @Override
    protected Map<String, float[]> initialValues(SplittableRandom rng) {
        Map<String, float[]> v = new LinkedHashMap<>();
        v.put("ln1.scale", Inits.constant(width, 1f));
        v.put("ln1.bias", Inits.constant(width, 0f));
        // q, k and v are separate (D, D) kernels in the reference: initialise each on its own fans.
        float[] qkv = new float[3 * width * width];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(Inits.xavierUniform(rng, width, width), 0, qkv, i * width * width,
                    width * width);
        }
        v.put("attention.qkv.weight", qkv);
        v.put("attention.qkv.bias", Inits.constant(3 * width, 0f));
        v.put("attention.out.weight", Inits.xavierUniform(rng, width, width));
        v.put("attention.out.bias", Inits.constant(width, 0f));
        v.put("ln2.scale", Inits.constant(width, 1f));
        v.put("ln2.bias", Inits.constant(width, 0f));
        v.put("mlp.fc1.weight", Inits.xavierUniform(rng, width, mlpDim));
        v.put("mlp.fc1.bias", Inits.normal(rng, mlpDim, 1e-6));
        v.put("mlp.fc2.weight", Inits.xavierUniform(rng, mlpDim, width));
        v.put("mlp.fc2.bias", Inits.normal(rng, width, 1e-6));
        return v;
    }

    @Override
    public NDArray apply(NDArray x) {
        return apply(x, false);
    }

    /**
     * The block's output for the class token alone, (B, S, D) to (B, 1, D): what the last block of
     * a path needs (see {@link PathModel#apply}). Keys and values still come from every token; the
     * query, the attention output, the MLP and their gradients are the class token's only, which
     * skips about 80% of the block's multiply-adds.
     */
    public NDArray applyToClassToken(NDArray x) {
        return apply(x, true);
    }

    /** @param classTokenOnly whether to compute the class token's output only */
    private NDArray apply(NDArray x, boolean classTokenOnly) {
        NDArray residual = classTokenOnly ? classToken(x) : x;
        NDArray attended = residual.add(attention(Ops.layerNorm(x, value(ln1Scale), value(ln1Bias)),
                classTokenOnly));
        NDArray y = Ops.layerNorm(attended, value(ln2Scale), value(ln2Bias));
        y = Ops.gelu(Ops.linear(y, value(mlp1Weight), value(mlp1Bias)));
        y = Ops.linear(y, value(mlp2Weight), value(mlp2Bias));
        return attended.add(y);
    }

    /** @param classTokenOnly whether only the class token (token 0) queries */
    private NDArray attention(NDArray x, boolean classTokenOnly) {
        Shape s = x.getShape();
        long b = s.get(0);
        long tokens = s.get(1);
        long queries = classTokenOnly ? 1 : tokens;
        return GradMode.isRecording() ? attentionRecorded(x, b, tokens, queries)
                : attentionHeadMajor(x, b, tokens, queries);
    }

    /**
     * The attention as autograd records it best: one fused q/k/v product, heads split by copies.
     * {@code b} examples of {@code tokens} tokens, of which the first {@code queries} query.
     */
    private NDArray attentionRecorded(NDArray x, long b, long tokens, long queries) {
        boolean classTokenOnly = queries < tokens;
        // (B, S, 3D) -> three (B, S, D) -> (B, H, S, Dh). Split, not indexed: the gradient of an
        // index (select) is a zero tensor of the whole input with the slice written in, three per
        // block and step; the gradient of a split is one concatenation. Same values either way.
        NDList qkv = Ops.linear(x, value(qkvWeight), value(qkvBias)).split(3, 2);
        NDArray q = classTokenOnly ? classToken(qkv.get(0)) : qkv.get(0);
        q = heads(q, b, queries).mul(queryScale(x));
        NDArray k = heads(qkv.get(1), b, tokens);
        NDArray v = heads(qkv.get(2), b, tokens);
        NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1);
        NDArray out = weights.matMul(v).transpose(0, 2, 1, 3).reshape(b, queries, width);
        return Ops.linear(out, value(outWeight), value(outBias));
    }

    /**
     * The attention when no gradient is recorded (evaluation, frozen prefixes): the same products in
     * another memory layout. The q/k/v projection is one batched product per head, (3H, B*S, Dh),
     * the shared input a broadcast view, so that each head's rows are contiguous and the attention's
     * batched products read them in place: three of the four head-split copies of
     * {@link #attentionRecorded} are gone, 5-7% of a block's time at batch 500 (docs/speed.md).
     * Every product is over the same operands in the same order, so the values are the recorded
     * form's bit for bit on this machine's kernels ({@code PathModelTest}). Not used under
     * recording: the broadcast input's gradient would be a sum over 3H copies of it.
     */
    private NDArray attentionHeadMajor(NDArray x, long b, long tokens, long queries) {
        // Rows [h*Dh, (h+1)*Dh) of the fused (3D, D) kernel are head h of q, then of k, then of v;
        // each head's kernel transposed, (3H, D, Dh), made contiguous by the flattening reshape.
        NDArray kernels = value(qkvWeight).reshape(3 * heads, headDim, width).transpose(0, 2, 1)
                .reshape(-1).reshape(3 * heads, width, headDim);
        NDArray rows = x.reshape(1, b * tokens, width).broadcast(new Shape(3 * heads, b * tokens, width));
        NDArray qkv = rows.matMul(kernels).addi(value(qkvBias).reshape(3 * heads, 1, headDim));
        // (H, B*S, Dh) -> (H*B, S, Dh): views, each (head, example) pair's rows contiguous.
        NDArray q = qkv.get(new NDIndex("0:{}", heads)).reshape(heads, b, tokens, headDim);
        if (queries < tokens) {
            q = q.get(":, :, :1, :");
        }
        q = q.reshape(heads * b, queries, headDim).mul(queryScale(x));
        NDArray k = qkv.get(new NDIndex("{}:{}", heads, 2 * heads)).reshape(heads * b, tokens, headDim);
        NDArray v = qkv.get(new NDIndex("{}:", 2 * heads)).reshape(heads * b, tokens, headDim);
        NDArray weights = q.matMul(k.transpose(0, 2, 1)).softmax(-1);
        NDArray out = weights.matMul(v).reshape(heads, b, queries, headDim).transpose(1, 2, 0, 3)
                .reshape(b, queries, width);
        return Ops.linear(out, value(outWeight), value(outBias));
    }

    /** 1/sqrt(Dh), the queries' scale, as a native scalar on {@code like}'s manager. */
    private NDArray queryScale(NDArray like) {
        return Ops.scalar(like, (float) (1.0 / Math.sqrt(headDim)));
    }

    /** (B, S, D) to the class token, (B, 1, D). */
    private static NDArray classToken(NDArray x) {
        return x.get(":, :1, :");
    }

    /** (B, S, D) to (B, H, S, Dh). */
    private NDArray heads(NDArray x, long b, long tokens) {
        return x.reshape(b, tokens, heads, headDim).transpose(0, 2, 1, 3);
    }

    @Override
    protected ComponentBlock emptyTwin() {
        return new EncoderBlock(config, layer);
    }
}
