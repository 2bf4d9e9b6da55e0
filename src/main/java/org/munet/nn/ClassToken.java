package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Map;
import java.util.SplittableRandom;
import org.munet.system.ComponentNames;

/** {@code cls}: the learned class token prepended to the patch tokens (zero-initialised, vit_jax). */
public final class ClassToken extends ComponentBlock {

    private final VitConfig config;
    private final Parameter cls;
    private final int width;

    public ClassToken(VitConfig config) {
        super(ComponentNames.CLS);
        this.config = config;
        width = config.hiddenSize();
        cls = declare("cls", new Shape(1, 1, width));
    }

    @Override
    protected Map<String, float[]> initialValues(SplittableRandom rng) {
        return Map.of("cls", Inits.constant(width, 0f));
    }

    /** (B, N, D) to (B, N+1, D). */
    @Override
    public NDArray apply(NDArray x) {
        long b = x.getShape().get(0);
        // zeros(batch) + cls, not cls.broadcast: keeps the result on the batch's manager.
        NDArray token = x.getManager().zeros(new Shape(b, 1, width)).add(value(cls));
        return NDArrays.concat(new NDList(token, x), 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        return new Shape[] {new Shape(in[0].get(0), in[0].get(1) + 1, in[0].get(2))};
    }

    @Override
    protected ComponentBlock emptyTwin() {
        return new ClassToken(config);
    }
}
