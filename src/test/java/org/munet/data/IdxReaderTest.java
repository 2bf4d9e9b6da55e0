package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    @TempDir
    Path tmp;

    private static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 37 + 11); // covers values >= 128 (sign handling)
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void imagesRoundTrip(boolean gzip) throws IOException {
        byte[] px = pixels(3 * 4 * 5);
        // The name never says .gz: compression must be detected from the magic bytes.
        Path f = TestFiles.write(tmp.resolve("images-idx3-ubyte"), TestFiles.idx(new int[] {3, 4, 5}, px), gzip);
        IdxReader.Images im = IdxReader.readImages(f);
        assertEquals(3, im.count());
        assertEquals(4, im.height());
        assertEquals(5, im.width());
        assertArrayEquals(px, im.pixels());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void labelsRoundTrip(boolean gzip) throws IOException {
        byte[] raw = {0, 9, (byte) 200, 3};
        Path f = TestFiles.write(tmp.resolve("labels.gz"), TestFiles.idx(new int[] {4}, raw), gzip);
        assertArrayEquals(new int[] {0, 9, 200, 3}, IdxReader.readLabels(f));
        IdxReader.Idx any = IdxReader.read(f);
        assertArrayEquals(new int[] {4}, any.dims());
        assertArrayEquals(raw, any.data());
    }

    @Test
    void badMagicNamesFile() throws IOException {
        Path f = Files.write(tmp.resolve("not-idx"), "hello world, this is text".getBytes());
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().startsWith(f + ": not an IDX file (magic 0x68 0x65 0x6c 0x6c"), e.getMessage());
    }

    @Test
    void unsupportedTypeIsRejected() throws IOException {
        byte[] b = TestFiles.idx(new int[] {1}, new byte[] {1});
        b[2] = 0x0D; // float
        Path f = Files.write(tmp.resolve("floats"), b);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(f));
        assertTrue(e.getMessage().contains("0x0d") && e.getMessage().contains(f.toString()), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedNamesFileAndSizes(boolean gzip) throws IOException {
        byte[] full = TestFiles.idx(new int[] {3, 4, 5}, pixels(60));
        Path f = TestFiles.write(tmp.resolve("short"), Arrays.copyOf(full, full.length - 7), gzip);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().startsWith(
            f + ": truncated: header says 3 images of 4x5 (76 bytes) but the file holds 69"), e.getMessage());
    }

    @Test
    void trailingGarbageIsAnError() throws IOException {
        byte[] full = TestFiles.idx(new int[] {2}, new byte[] {1, 2});
        Path f = Files.write(tmp.resolve("long"), Arrays.copyOf(full, full.length + 3));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(f));
        assertTrue(e.getMessage().contains(f + ": 3 trailing bytes"), e.getMessage());
    }

    @Test
    void zeroDimensionAndWrongRankAreErrors() throws IOException {
        Path zero = Files.write(tmp.resolve("zero"), TestFiles.idx(new int[] {0, 4, 5}, new byte[0]));
        assertTrue(assertThrows(DatasetException.class, () -> IdxReader.readImages(zero)).getMessage()
            .contains("must be positive"));
        Path labels = Files.write(tmp.resolve("labels"), TestFiles.idx(new int[] {2}, new byte[] {1, 2}));
        assertTrue(assertThrows(DatasetException.class, () -> IdxReader.readImages(labels)).getMessage()
            .contains("3 dimensions"));
    }

    @Test
    void corruptGzipAndMissingFile() throws IOException {
        byte[] gz = Files.readAllBytes(TestFiles.write(tmp.resolve("ok"),
            TestFiles.idx(new int[] {100}, pixels(100)), true));
        Path f = Files.write(tmp.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertTrue(assertThrows(DatasetException.class, () -> IdxReader.readLabels(f)).getMessage()
            .startsWith(f.toString()));
        Path missing = tmp.resolve("nope");
        assertTrue(assertThrows(DatasetException.class, () -> IdxReader.readLabels(missing)).getMessage()
            .contains(missing + ": no such file"));
    }
}
