package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.munet.system.ComponentNames;

/**
 * {@code encoder_norm}: the final LayerNorm over all tokens. The reference treats it as part of the
 * head and always fine-tunes it ({@code force_finetune_components}).
 */
public final class EncoderNorm extends ComponentBlock {

    private final VitConfig config;
    private final int width;
    private final Parameter scale;
    private final Parameter bias;

    public EncoderNorm(VitConfig config) {
        super(ComponentNames.ENCODER_NORM);
        this.config = config;
        width = config.hiddenSize();
        scale = declare("scale", new Shape(width));
        bias = declare("bias", new Shape(width));
    }

    @Override
    protected Map<String, float[]> initialValues(SplittableRandom rng) {
        Map<String, float[]> v = new LinkedHashMap<>();
        v.put("scale", Inits.constant(width, 1f));
        v.put("bias", Inits.constant(width, 0f));
        return v;
    }

    @Override
    public NDArray apply(NDArray x) {
        return Ops.layerNorm(x, value(scale), value(bias));
    }

    @Override
    protected ComponentBlock emptyTwin() {
        return new EncoderNorm(config);
    }
}
