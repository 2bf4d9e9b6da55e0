package org.munet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.data.Batch;
import org.munet.data.DataHparams;
import org.munet.data.IdxReader;
import org.munet.data.ImageSet;
import org.munet.data.TestPass;
import org.munet.nn.VitConfig;
import org.munet.system.ModelDims;

/**
 * An export computes the same function in PyTorch as in munet: random-weight models exported, then
 * run by python/munet_vit.py under Debian's {@code /usr/bin/python3} (torch 1.13, numpy) on 100
 * real MNIST test images. The tolerance allows for different kernels (MKL in libtorch 2.7 against
 * OpenBLAS in torch 1.13) summing in different orders, nothing more.
 */
class ExportPyTorchParityTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path LOADER = Path.of("python", "munet_vit.py");
    private static final Path MNIST = Path.of("data", "mnist");
    private static final int N = 100;
    private static final float TOLERANCE = 1e-4f;

    private static ImageSet digits;

    @TempDir
    Path tmp;

    @BeforeAll
    static void firstMnistTestImages() {
        Path images = MNIST.resolve("t10k-images-idx3-ubyte");
        assertTrue(Files.exists(images), "no " + images.toAbsolutePath() + ": run deploy/test-setup.sh");
        IdxReader.Images all = IdxReader.readImages(images);
        int[] labels = Arrays.copyOf(IdxReader.readLabels(MNIST.resolve("t10k-labels-idx1-ubyte")), N);
        digits = new ImageSet("mnist/test[:100]", 1, all.height(), all.width(),
                Arrays.copyOf(all.pixels(), N * all.height() * all.width()), labels, 10);
    }

    /** Grayscale digits tiled to 3 channels, fed to Python preprocessed (the model alone). */
    @Test
    void threeChannelModelMatchesOnPreprocessedImages() throws Exception {
        VitConfig vit = RandomTaskModels.threeChannels();
        Batch batch = preprocessed(vit);
        Path images = tmp.resolve("images.npy");
        Npy.writeFloats(images, batch.images(), N, 3, 28, 28);
        compare("3 channels, adapter at 1", vit, List.of(1), batch, images);
    }

    /**
     * One channel and a resize (28 to 32, patch 8): Python gets the raw uint8 digits and
     * preprocesses them itself, so its preprocess() is checked with the model.
     */
    @Test
    void oneChannelModelMatchesFromRawPixels() throws Exception {
        VitConfig vit = new VitConfig(new ModelDims(8, 1, 32, 64, 4), 32, 2);
        Batch batch = preprocessed(vit);
        Path preprocessed = tmp.resolve("images.npy");
        Npy.writeFloats(preprocessed, batch.images(), N, 1, 32, 32);
        compare("1 channel, resized, preprocessed in Java", vit, List.of(0, 1), batch, preprocessed);
        Path raw = tmp.resolve("raw.npy");
        Npy.writeBytes(raw, digits.pixels(), N, 28, 28);
        compare("1 channel, resized, preprocessed in Python", vit, List.of(0, 1), batch, raw);
    }

    private static Batch preprocessed(VitConfig vit) {
        return new TestPass(digits, N, DataHparams.none(vit.imageSize()), vit.channels()).iterator().next();
    }

    private void compare(String what, VitConfig vit, List<Integer> adapters, Batch batch, Path images)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                TaskModel model = RandomTaskModels.create(manager, vit, adapters, 8, 10, 5)) {
            float[] expected = RandomTaskModels.logits(manager, model, batch.images(), N);
            Path export = Files.createTempDirectory(tmp, "export");
            new ExportWriter(new Configuration()).write(model, export.toString());
            Path out = tmp.resolve("logits-" + System.nanoTime() + ".npy");
            runLoader(export, images, out);
            Npy.Floats actual = Npy.readFloats(out);
            assertArrayEquals(new long[] {N, 10}, actual.shape());
            float max = 0;
            double scale = 0;
            for (int i = 0; i < expected.length; i++) {
                max = Math.max(max, Math.abs(expected[i] - actual.values()[i]));
                scale = Math.max(scale, Math.abs(expected[i]));
            }
            System.out.printf(Locale.ROOT, "PyTorch parity (%s): max |logit difference| %.3g over %d logits"
                    + " (largest |logit| %.3g)%n", what, max, expected.length, scale);
            assertTrue(scale > 0.1, "random weights should give non-trivial logits, largest |logit| " + scale);
            assertTrue(max <= TOLERANCE, what + ": PyTorch's logits differ from munet's by up to " + max);
        }
    }

    private static void runLoader(Path export, Path images, Path out) throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " is missing: run deploy/test-setup.sh (installs Debian's python3-torch and numpy)");
        }
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), LOADER.toString(), export.toString(),
                "--images", images.toString(), "--logits-out", out.toString()).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().remove("PYTHONPATH"); // Debian's packages, not another interpreter's
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("python/munet_vit.py did not finish in 180 s");
        }
        String log = new String(output, StandardCharsets.UTF_8);
        if (log.contains("No module named 'torch'") || log.contains("No module named 'numpy'")) {
            fail("/usr/bin/python3 lacks torch or numpy: run deploy/test-setup.sh\n" + log);
        }
        assertEquals(0, p.exitValue(), "python/munet_vit.py failed:\n" + log);
    }
}
