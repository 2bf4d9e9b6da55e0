package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.munet.system.ComponentNames;
import org.munet.system.HparamKeys;

/**
 * {@code residual_adapter_i}: {@code y = x + W_up gelu(W_down LN(x) + b_down) + b_up}, placed
 * before {@code encoderblock_i}. W_up and b_up start at zero, so a freshly inserted adapter is the
 * identity and inserting one never changes what a path computes (spec §1.1, §3.2).
 */
public final class ResidualAdapter extends ComponentBlock {

    private final VitConfig config;
    private final int layer;
    private final int width;
    private final int adapterDim;
    private final Parameter lnScale;
    private final Parameter lnBias;
    private final Parameter downWeight;
    private final Parameter downBias;
    private final Parameter upWeight;
    private final Parameter upBias;

    public ResidualAdapter(VitConfig config, int layer, int adapterDim) {
        super(ComponentNames.adapter(layer));
        this.config = config;
        this.layer = layer;
        HparamKeys.requireInRange(HparamKeys.ADAPTER_DIM, adapterDim);
        this.width = config.hiddenSize();
        this.adapterDim = adapterDim;
        lnScale = declare("ln.scale", new Shape(width));
        lnBias = declare("ln.bias", new Shape(width));
        downWeight = declare("down.weight", new Shape(adapterDim, width));
        downBias = declare("down.bias", new Shape(adapterDim));
        upWeight = declare("up.weight", new Shape(width, adapterDim));
        upBias = declare("up.bias", new Shape(width));
    }

    public int adapterDim() {
        return adapterDim;
    }

    @Override
    protected Map<String, float[]> initialValues(SplittableRandom rng) {
        Map<String, float[]> v = new LinkedHashMap<>();
        v.put("ln.scale", Inits.constant(width, 1f));
        v.put("ln.bias", Inits.constant(width, 0f));
        v.put("down.weight", Inits.lecunNormal(rng, adapterDim * width, width));
        v.put("down.bias", Inits.constant(adapterDim, 0f));
        v.put("up.weight", Inits.constant(width * adapterDim, 0f));
        v.put("up.bias", Inits.constant(width, 0f));
        return v;
    }

    @Override
    public NDArray apply(NDArray x) {
        NDArray y = Ops.layerNorm(x, value(lnScale), value(lnBias));
        y = Ops.gelu(Ops.linear(y, value(downWeight), value(downBias)));
        return x.add(Ops.linear(y, value(upWeight), value(upBias)));
    }

    @Override
    protected ComponentBlock emptyTwin() {
        return new ResidualAdapter(config, layer, adapterDim);
    }
}
