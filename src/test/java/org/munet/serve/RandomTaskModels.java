package org.munet.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.munet.nn.ComponentBlock;
import org.munet.nn.ComponentFactory;
import org.munet.nn.HostComponent;
import org.munet.nn.HostTensor;
import org.munet.nn.PathModel;
import org.munet.nn.VitConfig;
import org.munet.system.Architecture;
import org.munet.system.ModelDims;

/**
 * Task models whose every parameter is random. Not the reference init: fresh heads and adapter
 * up-projections are zero and LayerNorms are 1/0, which would hide a swapped or dropped tensor.
 */
final class RandomTaskModels {

    private RandomTaskModels() {}

    /** Width 32, MLP 64, 4 heads, patch 7 on 28x28 images, 2 blocks, an adapter before block 1. */
    static VitConfig threeChannels() {
        return new VitConfig(new ModelDims(7, 3, 32, 64, 4), 28, 2);
    }

    static TaskModel create(NDManager manager, VitConfig vit, List<Integer> adapterLayers, int adapterDim,
            int numClasses, long seed) {
        ComponentFactory factory = new ComponentFactory(vit, numClasses, adapterDim);
        SplittableRandom rng = new SplittableRandom(seed);
        List<ComponentBlock> blocks = new ArrayList<>();
        for (String name : Architecture.componentNames(vit.numLayers(), adapterLayers)) {
            ComponentBlock block = factory.create(name);
            Map<String, HostTensor> values = new LinkedHashMap<>();
            block.parameterShapes().forEach((p, shape) -> values.put(p, random(rng, p, shape)));
            block.load(manager, new HostComponent(name, values, Map.of()));
            block.setTrainable(false);
            blocks.add(block);
        }
        List<String> classes = IntStream.range(0, numClasses).mapToObj(i -> "class " + i).toList();
        TaskModelInfo info = new TaskModelInfo("mnist/rot90", "file:/states/run1", 7, 42, vit, adapterLayers,
                adapterDim, classes, 0.9123, "ab".repeat(32));
        return new TaskModel(info, new PathModel(blocks), bs -> bs.forEach(ComponentBlock::close));
    }

    /** Weights ~ N(0, 1/fan-in), LayerNorm scales ~ 1 + N(0, 0.2), other vectors ~ N(0, 0.2). */
    private static HostTensor random(SplittableRandom rng, String parameter, long[] shape) {
        long count = 1;
        long fanIn = 1;
        for (int i = 0; i < shape.length; i++) {
            count *= shape[i];
            fanIn *= i == 0 ? 1 : shape[i];
        }
        boolean vector = shape.length == 1;
        boolean tokens = parameter.equals("cls") || parameter.equals("pos_embedding");
        double std = tokens ? 0.5 : vector ? 0.2 : 1 / Math.sqrt(fanIn);
        double mean = vector && parameter.endsWith("scale") ? 1 : 0;
        float[] v = new float[Math.toIntExact(count)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * rng.nextGaussian());
        }
        return new HostTensor(shape, v);
    }

    /** Logits of {@code images} (N, C, S, S), computed in a scope of their own. */
    static float[] logits(NDManager manager, TaskModel model, float[] images, int n) {
        VitConfig vit = model.info().vit();
        try (NDManager step = manager.newSubManager()) {
            NDArray in = step.create(images, new Shape(n, vit.channels(), vit.imageSize(), vit.imageSize()));
            return model.path().forward(in).toFloatArray();
        }
    }

    /** Same, on an array both models read, so that only the weights can differ. */
    static float[] logits(TaskModel model, NDArray images) {
        try (NDManager step = images.getManager().newSubManager()) {
            NDArray out = model.path().forward(images);
            out.attach(step);
            return out.toFloatArray();
        }
    }
}
