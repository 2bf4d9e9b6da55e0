package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.Map;
import java.util.SplittableRandom;
import org.munet.system.ComponentNames;

/**
 * {@code posembed_input}: a learned position embedding, one row per token (class token first),
 * initialised N(0, 0.02) as in vit_jax. Its shape follows the image size, so paths with another
 * {@code ds_image_size} cannot share it (spec §2.4).
 */
public final class PositionEmbedding extends ComponentBlock {

    private final VitConfig config;
    private final Parameter embedding;
    private final int tokens;
    private final int width;

    public PositionEmbedding(VitConfig config) {
        super(ComponentNames.POSEMBED);
        this.config = config;
        tokens = config.sequenceLength();
        width = config.hiddenSize();
        embedding = declare("pos_embedding", new Shape(1, tokens, width));
    }

    @Override
    protected Map<String, float[]> initialValues(SplittableRandom rng) {
        return Map.of("pos_embedding", Inits.normal(rng, tokens * width, 0.02));
    }

    @Override
    public NDArray apply(NDArray x) {
        if (x.getShape().get(1) != tokens) {
            throw new IllegalArgumentException("posembed_input holds " + tokens
                    + " positions, the input has " + x.getShape().get(1) + " tokens");
        }
        return x.add(value(embedding));
    }

    @Override
    protected ComponentBlock emptyTwin() {
        return new PositionEmbedding(config);
    }
}
