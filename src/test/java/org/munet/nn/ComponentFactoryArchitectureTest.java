package org.munet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.munet.system.Architecture;
import org.munet.system.ComponentNames;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;

/**
 * The policy reasons about components with {@link Architecture} alone (names in path order, shapes,
 * parameter counts: the figures in the leaderboard and the scorer's penalty); {@link
 * ComponentFactory} builds the blocks that train. For several backbones and path hyperparameters
 * this builds and initialises every block of a path with DJL and holds the two to the same names,
 * order, shapes and parameter counts.
 */
class ComponentFactoryArchitectureTest {

    /** One backbone and one path's hyperparameters. */
    private record Setting(ModelDims dims, int layers, String adapters, int adapterDim, int imageSize, int classes) {

        Hyperparams hparams() {
            Map<String, Object> m = new TreeMap<>();
            m.put(HparamKeys.NUM_LAYERS, layers);
            m.put(HparamKeys.ADAPTER_LAYERS, adapters);
            m.put(HparamKeys.ADAPTER_DIM, adapterDim);
            m.put(HparamKeys.DS_IMAGE_SIZE, imageSize);
            m.put(HparamKeys.NUM_CLASSES, classes);
            return Hyperparams.of(m);
        }

        ComponentFactory factory() {
            return new ComponentFactory(new VitConfig(dims, imageSize, layers), classes, adapterDim);
        }
    }

    private static final ModelDims TINY = new ModelDims(7, 1, 64, 128, 4);
    private static final ModelDims RGB = new ModelDims(8, 3, 32, 96, 2);
    private static final ModelDims WIDE = new ModelDims(4, 1, 48, 64, 6);

    private static final List<Setting> SETTINGS = List.of(
            new Setting(TINY, 3, "", 8, 28, 10),      // the default root
            new Setting(TINY, 3, "1", 16, 28, 10),    // one adapter
            new Setting(TINY, 0, "", 8, 28, 2),       // no encoder block at all
            new Setting(TINY, 2, "0_1", 32, 14, 5),   // adapters everywhere, smaller image
            new Setting(TINY, 5, "0_4", 1, 56, 100),  // deeper, bigger image, many classes
            new Setting(RGB, 4, "0_2_3", 24, 32, 3),  // three channels, other widths
            new Setting(RGB, 1, "0", 4, 8, 2),        // one patch, two classes
            new Setting(WIDE, 2, "1", 12, 20, 7));

    @Test
    void factoryBlocksHaveTheArchitecturesNamesOrderShapesAndParameterCounts() {
        for (Setting s : SETTINGS) {
            Hyperparams h = s.hparams();
            List<Architecture.Slot> slots = Architecture.slots(s.dims(), h);
            List<String> names = Architecture.componentNames(s.layers(), Architecture.adapterLayers(s.adapters()));
            assertEquals(names, slots.stream().map(Architecture.Slot::name).toList(), s.toString());

            try (NDManager manager = NDManager.newBaseManager()) {
                List<ComponentBlock> blocks = FreshPath.components(manager, s.factory(), names, 5);
                assertEquals(names, blocks.stream().map(ComponentBlock::componentName).toList(), s.toString());
                long total = 0;
                for (int i = 0; i < blocks.size(); i++) {
                    ComponentBlock block = blocks.get(i);
                    Architecture.Slot slot = slots.get(i);
                    HostComponent host = block.toHost();
                    long allocated = host.parameters().values().stream().mapToLong(t -> t.values().length).sum();
                    String where = s + " " + slot.name();
                    assertEquals(slot.parameterCount(), block.parameterCount(), where);
                    assertEquals(slot.parameterCount(), allocated, where + ": allocated values");
                    assertEquals(slot.shape(), shapeOf(slot.name(), host, s), where);
                    total += allocated;
                }
                assertEquals(Architecture.parameterCount(s.dims(), h), total, s.toString());
                // The assembled path accepts this order (PathModel checks it against Architecture).
                new PathModel(blocks);
            }
        }
    }

    /**
     * The slot shape that the block's tensors imply: the main tensor's shape for a plain component,
     * the widths an adapter or an encoder block is made of otherwise.
     */
    private static String shapeOf(String name, HostComponent host, Setting s) {
        switch (ComponentNames.kind(name)) {
            case ComponentNames.EMBEDDING:
                return bracket(host.parameters().get("kernel").shape());
            case ComponentNames.CLS:
                return bracket(host.parameters().get("cls").shape());
            case ComponentNames.POSEMBED:
                return bracket(host.parameters().get("pos_embedding").shape());
            case ComponentNames.ENCODER_NORM:
                return bracket(host.parameters().get("scale").shape());
            case ComponentNames.HEAD:
                return bracket(host.parameters().get("weight").shape());
            case ComponentNames.ADAPTER_PREFIX: {
                long[] up = host.parameters().get("up.weight").shape(); // (width, adapter_dim)
                return "adapter" + bracket(up);
            }
            case ComponentNames.ENCODER_BLOCK_PREFIX: {
                long[] fc1 = host.parameters().get("mlp.fc1.weight").shape(); // (mlp, width)
                // Heads do not show in any tensor's shape; they come from the backbone.
                return "block" + bracket(new long[] {fc1[1], fc1[0], s.dims().numHeads()});
            }
            default:
                throw new IllegalArgumentException("no shape for " + name);
        }
    }

    private static String bracket(long[] dims) {
        List<String> parts = new ArrayList<>();
        Arrays.stream(dims).forEach(d -> parts.add(Long.toString(d)));
        return "[" + String.join(",", parts) + "]";
    }
}
