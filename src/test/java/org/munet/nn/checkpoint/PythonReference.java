package org.munet.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/python/timm_vit_reference.py} under Debian's /usr/bin/python3 (the one with
 * python3-torch and numpy; the python3 first on PATH may lack them). Missing packages fail the test
 * with the command that installs them, never skip it.
 */
public final class PythonReference {

    static final String PYTHON = "/usr/bin/python3";
    static final Path SCRIPT = Path.of("src", "test", "python", "timm_vit_reference.py");

    private PythonReference() {}

    /**
     * Writes {@code timm.safetensors}, {@code vit.npz} and {@code features.npz} into {@code out} for
     * the images in {@code imagesNpz}.
     */
    public static void run(Path imagesNpz, Path out) throws IOException, InterruptedException {
        check(new ProcessBuilder(PYTHON, "-c", "import torch, numpy"), "python3-torch and numpy are missing for "
                + PYTHON + ": run deploy/test-setup.sh");
        ProcessBuilder p = new ProcessBuilder(PYTHON, SCRIPT.toString(), imagesNpz.toString(), out.toString());
        p.environment().put("OMP_NUM_THREADS", "1");
        p.environment().put("OPENBLAS_NUM_THREADS", "1");
        check(p, SCRIPT + " failed");
    }

    private static void check(ProcessBuilder p, String what) throws IOException, InterruptedException {
        p.redirectErrorStream(true);
        Process process;
        try {
            process = p.start();
        } catch (IOException e) {
            throw new AssertionError(what + " (" + e.getMessage() + "); run deploy/test-setup.sh", e);
        }
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), what + ": timed out");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), what + ":\n" + text);
        if (!text.isBlank()) {
            System.out.print(text);
        }
        assertTrue(Files.isRegularFile(SCRIPT), "no " + SCRIPT.toAbsolutePath());
    }
}
