package org.munet.nn;


import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.munet.data.Batch;
import org.munet.system.Architecture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathModelTest {

    private static final VitConfig CONFIG = VitConfig.tiny();

    @Test
    void freshAdapterLeavesOutputsUnchanged() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ComponentFactory factory = new ComponentFactory(CONFIG, 4, 16);
            PathModel base = trainedPath(manager, factory);
            Batch batch = TestTraining.batches(9, 1, 16).get(0);

            List<ComponentBlock> withAdapters = new ArrayList<>(base.components());
            ComponentBlock adapter1 = factory.create("residual_adapter_1");
            adapter1.initializeParameters(manager, 0);
            ComponentBlock adapter0 = factory.create("residual_adapter_0");
            adapter0.initializeParameters(manager, 0);
            withAdapters.add(withAdapters.indexOf(base.component("encoderblock_1")), adapter1);
            withAdapters.add(withAdapters.indexOf(base.component("encoderblock_0")), adapter0);
            PathModel adapted = new PathModel(withAdapters);

            float[] before = logits(manager, base, batch);
            float[] after = logits(manager, adapted, batch);
            assertTrue(before[0] != 0 || before[1] != 0, "logits should be non-trivial");
            assertArrayEquals(before, after, 0f);
            assertEquals(base.parameterCount() + adapter0.parameterCount() + adapter1.parameterCount(),
                    adapted.parameterCount());
        }
    }

    @Test
    void trainedAdapterChangesOutputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ComponentFactory factory = new ComponentFactory(CONFIG, 4, 16);
            List<ComponentBlock> comps = FreshPath.components(manager, factory,
                    Architecture.componentNames(1, List.of(0)), 2);
            PathModel model = new PathModel(comps);
            Batch batch = TestTraining.batches(9, 1, 16).get(0);
            ComponentBlock adapter = model.component("residual_adapter_0");
            NDArray x = manager.randomNormal(new ai.djl.ndarray.types.Shape(2, 17, 64));
            assertArrayEquals(x.toFloatArray(), adapter.apply(x).toFloatArray(), 0f);
            TestTraining.train(manager, model, 20, 3);
            assertFalse(Arrays.equals(x.toFloatArray(), adapter.apply(x).toFloatArray()));
            assertEquals(4, logits(manager, model, batch).length / 16);
        }
    }

    @Test
    void componentsOutOfOrderAreRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ComponentFactory factory = new ComponentFactory(CONFIG, 4, 16);
            List<ComponentBlock> comps = FreshPath.components(manager, factory,
                    Architecture.componentNames(2, List.of()), 0);
            List<ComponentBlock> swapped = new ArrayList<>(comps);
            swapped.set(3, comps.get(4));
            swapped.set(4, comps.get(3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PathModel(swapped));
            assertTrue(e.getMessage().startsWith("components out of order"), e.getMessage());
        }
    }

    @Test
    void layoutPutsAdaptersBeforeTheirBlocks() {
        assertEquals(List.of("embedding", "cls", "posembed_input", "encoderblock_0",
                "residual_adapter_1", "encoderblock_1", "encoder_norm", "head"),
                Architecture.componentNames(2, List.of(1, 5)));
    }

    @Test
    void tinyViTHasExpectedParameterCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = FreshPath.model(manager, new ComponentFactory(CONFIG, 10, 16), 0);
            long embedding = 64 * 49 + 64;
            long cls = 64;
            long pos = 17 * 64;
            long block = 4 * 64 + (3 * 64 * 64 + 3 * 64) + (64 * 64 + 64) + (128 * 64 + 128) + (64 * 128 + 64);
            long norm = 2 * 64;
            long head = 10 * 64 + 10;
            assertEquals(embedding + cls + pos + 3 * block + norm + head, model.parameterCount());
            assertEquals(model.parameterCount(), model.trainableParameterCount());
        }
    }

    @Test
    void lastBlockComputingTheClassTokenOnlyGivesTheFullModelsLogitsAndGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = trainedTrainablePath(manager);
            Batch batch = TestTraining.batches(9, 1, 16).get(0);
            Pass readout = Pass.run(manager, model, batch, (images) -> model.forward(images));
            Pass full = Pass.run(manager, model, batch, (images) -> {
                NDArray x = images;
                for (ComponentBlock c : model.components()) {
                    x = c.apply(x);
                }
                return x;
            });
            assertFalse(Arrays.equals(full.logits, new float[full.logits.length]));
            assertClose(full.logits, readout.logits, "logits");
            assertEquals(full.gradients.size(), readout.gradients.size());
            for (int i = 0; i < full.gradients.size(); i++) {
                assertClose(full.gradients.get(i), readout.gradients.get(i), "gradient " + i);
            }
        }
    }

    @Test
    void unrecordedForwardGivesTheRecordedLogitsBitForBit() {
        // Evaluation and frozen prefixes run the attention head-major (EncoderBlock); the logits
        // must be those of the form training records, so that a validation round sees the model
        // that was trained and a cached prefix equals a recomputed one.
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = trainedTrainablePath(manager);
            Batch batch = TestTraining.batches(21, 1, 16).get(0);
            float[] recorded = Pass.run(manager, model, batch, (images) -> model.forward(images)).logits;
            float[] unrecorded;
            try (NDManager m = manager.newSubManager(); GradMode off = GradMode.disabled()) {
                unrecorded = model.forward(BatchArrays.images(m, batch)).toFloatArray();
            }
            assertFalse(Arrays.equals(recorded, new float[recorded.length]));
            assertArrayEquals(recorded, unrecorded, 0f);
        }
    }

    /** A 4-class path trained a little, every component trainable (so that gradients reach all). */
    private static PathModel trainedTrainablePath(NDManager manager) {
        PathModel path = trainedPath(manager, new ComponentFactory(CONFIG, 4, 16));
        for (ComponentBlock c : path.components()) {
            c.setTrainable(true);
        }
        return path;
    }

    /** A fresh path trained a little, so that its head and norm are not zero and its logits not trivial. */
    private static PathModel trainedPath(NDManager manager, ComponentFactory factory) {
        PathModel path = FreshPath.model(manager, factory, 5);
        TestTraining.train(manager, path, 30, 1);
        return path;
    }

    /** Equal to float rounding: within 1e-5 of the larger magnitude in the array. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        float scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertArrayEquals(expected, actual, 1e-5f * Math.max(scale, 1e-6f), what);
    }

    /** One recorded forward and backward pass: the logits and every parameter's gradient. */
    private record Pass(float[] logits, List<float[]> gradients) {
        static Pass run(NDManager manager, PathModel model, Batch batch,
                Function<NDArray, NDArray> forward) {
            try (NDManager m = manager.newSubManager(); GradMode on = GradMode.enabled()) {
                List<NDArray> params = new ArrayList<>();
                for (ComponentBlock c : model.components()) {
                    params.addAll(c.parameterArrays());
                }
                params.forEach(GradMode::zeroGradient);
                NDArray logits = forward.apply(BatchArrays.images(m, batch));
                GradMode.backward(logits.logSoftmax(1).get(":, 0").sum().neg());
                List<float[]> gradients = new ArrayList<>();
                for (NDArray p : params) {
                    gradients.add(GradMode.gradientOf(p).toFloatArray());
                }
                return new Pass(logits.toFloatArray(), gradients);
            }
        }
    }

    private static float[] logits(NDManager manager, PathModel model, Batch batch) {
        try (NDManager m = manager.newSubManager()) {
            return model.forward(BatchArrays.images(m, batch)).toFloatArray();
        }
    }
}
