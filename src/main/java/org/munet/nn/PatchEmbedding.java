package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.munet.system.ComponentNames;

/**
 * {@code embedding}: the patch-embedding convolution (kernel = stride = patch size, no padding).
 *
 * <p>Computed as a linear map over non-overlapping flattened patches, which is the same function
 * as the convolution and cheaper on CPU. The kernel is stored in PyTorch's conv layout
 * (D, C, P, P) so that other tools can read it as a Conv2d weight.
 */
public final class PatchEmbedding extends ComponentBlock {

    private final VitConfig config;
    private final Parameter kernel;
    private final Parameter bias;

    public PatchEmbedding(VitConfig config) {
        super(ComponentNames.EMBEDDING);
        this.config = config;
        int p = config.patchSize();
        kernel = declare("kernel", new Shape(config.hiddenSize(), config.channels(), p, p));
        bias = declare("bias", new Shape(config.hiddenSize()));
    }

    @Override
    protected Map<String, float[]> initialValues(SplittableRandom rng) {
        int p = config.patchSize();
        int fanIn = config.channels() * p * p;
        Map<String, float[]> v = new LinkedHashMap<>();
        v.put("kernel", Inits.lecunNormal(rng, fanIn * config.hiddenSize(), fanIn));
        v.put("bias", Inits.constant(config.hiddenSize(), 0f));
        return v;
    }

    /** (B, C, H, W) images to (B, N, D) patch tokens. */
    @Override
    public NDArray apply(NDArray images) {
        Shape s = images.getShape();
        long b = s.get(0);
        int c = config.channels();
        int p = config.patchSize();
        long side = s.get(2) / p;
        if (s.dimension() != 4 || s.get(1) != c || s.get(2) != s.get(3) || s.get(2) % p != 0) {
            throw new IllegalArgumentException("embedding expects (B, " + c + ", S, S) images with S"
                    + " a multiple of " + p + ", got " + s);
        }
        NDArray patches = images.reshape(b, c, side, p, side, p)
                .transpose(0, 2, 4, 1, 3, 5)
                .reshape(b, side * side, (long) c * p * p);
        NDArray w = value(kernel).reshape(config.hiddenSize(), (long) c * p * p);
        return Ops.linear(patches, w, value(bias));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        long side = in[0].get(2) / config.patchSize();
        return new Shape[] {new Shape(in[0].get(0), side * side, config.hiddenSize())};
    }

    @Override
    protected ComponentBlock emptyTwin() {
        return new PatchEmbedding(config);
    }
}
