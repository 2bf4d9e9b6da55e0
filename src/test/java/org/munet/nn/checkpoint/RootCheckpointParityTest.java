package org.munet.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.data.Batch;
import org.munet.data.DataHparams;
import org.munet.data.Datasets;
import org.munet.data.ImageSet;
import org.munet.data.TestPass;
import org.munet.nn.ComponentBlock;
import org.munet.nn.ComponentFactory;
import org.munet.nn.HostComponent;
import org.munet.nn.HostTensor;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;
import org.munet.system.ReferenceDefaults;

/**
 * A ViT built and run by PyTorch in timm's naming (src/test/python/timm_vit_reference.py), saved as
 * safetensors and as a vit_jax .npz, imported as munet's root: munet's root path without its head
 * computes the same features on real MNIST test images, at the checkpoint's size (28, a 4x4 grid)
 * and with the position embedding resampled to another grid (35, 5x5).
 */
class RootCheckpointParityTest {

    private static final int N = 16;
    private static final double TOLERANCE = 1e-4;
    private static final Configuration HADOOP = new Configuration();

    @Test
    void importedRootComputesPyTorchsFeatures(@TempDir Path dir) throws Exception {
        String dataDir = System.getProperty("munet.data.dir");
        assertTrue(dataDir != null && Files.isDirectory(Path.of(dataDir, "mnist")),
                "datasets missing: run deploy/test-setup.sh (munet.data.dir=" + dataDir + ")");
        ImageSet test = Datasets.load("mnist", dataDir, HADOOP).test();
        Map<String, HostTensor> images = new LinkedHashMap<>();
        for (int size : new int[] {28, 35}) {
            Batch b = new TestPass(test, N, DataHparams.none(size), 3).iterator().next();
            images.put("images_" + size, new HostTensor(new long[] {N, 3, size, size}, b.images()));
        }
        Path imagesFile = CheckpointWriters.npz(dir.resolve("images.npz"), images, false);
        PythonReference.run(imagesFile, dir);
        Map<String, HostTensor> expected = NpzReader.read(Files.readAllBytes(dir.resolve("features.npz")), "features");

        List<String> report = new ArrayList<>();
        double worst = 0;
        for (String file : List.of("timm.safetensors", "vit.npz")) {
            VitCheckpoint checkpoint = VitCheckpoint.read(dir.resolve(file).toString(), null, HADOOP);
            assertEquals(4, checkpoint.grid());
            for (int size : new int[] {28, 35}) {
                float[] got = features(checkpoint, images.get("images_" + size), size);
                float[] want = expected.get("features_" + size).values();
                assertEquals(want.length, got.length);
                double max = 0;
                for (int i = 0; i < got.length; i++) {
                    max = Math.max(max, Math.abs(got[i] - want[i]));
                }
                report.add(String.format(Locale.ROOT, "%s at %d (grid %d): max |munet - PyTorch| = %.3g", file, size,
                        size / 7, max));
                worst = Math.max(worst, max);
                assertTrue(max <= TOLERANCE, file + " at image size " + size + ": max abs difference " + max);
            }
        }
        report.forEach(line -> System.out.println("RootCheckpointParityTest: " + line));
        assertTrue(worst > 0, "bitwise-equal features would mean the comparison compares nothing");
    }

    /** The root path's components except the head on the images; the class token's output after encoder_norm. */
    private static float[] features(VitCheckpoint checkpoint, HostTensor images, int size) {
        ModelDims dims = new ModelDims(7, 3, 64, 128, 4);
        Hyperparams h = ReferenceDefaults.hyperparams().with(HparamKeys.DS_IMAGE_SIZE, size)
                .with(HparamKeys.NUM_LAYERS, checkpoint.dims().numLayers());
        ComponentFactory factory = ComponentFactory.of(dims, h);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<ComponentBlock> blocks = new ArrayList<>();
            for (HostComponent host : checkpoint.components(size)) {
                ComponentBlock block = factory.create(host.name());
                block.setTrainable(false);
                block.load(manager, host);
                blocks.add(block);
            }
            NDArray x = manager.create(images.values(), new Shape(images.shape()));
            for (ComponentBlock b : blocks) {
                x = b.apply(x);
            }
            return x.get(":, 0, :").toFloatArray();
        }
    }
}
