package org.munet.data;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Helpers shared by the data tests (and others): synthetic IDX files and the real data directory. */
public final class TestFiles {

    private TestFiles() {
    }

    /** IDX bytes of unsigned-byte type with the given dims and payload. */
    public static byte[] idx(int[] dims, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0x08);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes, boolean gzip) throws IOException {
        if (!gzip) {
            return Files.write(file, bytes);
        }
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(file))) {
            os.write(bytes);
        }
        return file;
    }

    /**
     * The real datasets; fails (never skips) when absent, because CI fetches them first and a
     * silently skipped data test would hide a broken fetch.
     */
    static Path dataDir() {
        String prop = System.getProperty("munet.data.dir");
        if (prop == null) {
            fail("system property munet.data.dir is not set; run the tests through Maven (the pom sets it)"
                + " or pass -Dmunet.data.dir=DIR");
        }
        Path dir = Path.of(prop);
        if (!Files.isDirectory(dir.resolve("mnist")) || !Files.isDirectory(dir.resolve("fashion-mnist"))) {
            fail("datasets not found in " + dir + " (need mnist/ and fashion-mnist/): run deploy/fetch-datasets.sh "
                + dir);
        }
        return dir;
    }

    /** A grayscale set whose pixel values are given, labels i % numClasses. */
    static ImageSet set(String name, int n, int h, int w, int numClasses, byte[] pixels) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % numClasses;
        }
        return new ImageSet(name, 1, h, w, pixels, labels, numClasses);
    }

    /** n images of h x w with distinct pseudo-random content (seeded). */
    static ImageSet randomSet(int n, int h, int w, int numClasses, long seed) {
        byte[] px = new byte[n * h * w];
        new java.util.SplittableRandom(seed).nextBytes(px);
        return set("synthetic", n, h, w, numClasses, px);
    }
}
