package org.munet.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST container format), plain or gzip-compressed.
 *
 * <p>Compression is detected from the gzip magic bytes {@code 0x1f 0x8b}, not from the file name,
 * because mirrors ship the same files both ways and renamed copies are common.
 *
 * <p>Only the unsigned-byte element type ({@code 0x08}) is accepted: it is all MNIST-style
 * datasets use, and silently reinterpreting another type would produce garbage images. The file
 * length must match the header exactly; a truncated download and trailing garbage are both errors
 * rather than something to guess around.
 */
public final class IdxReader {

    /** IDX element type code of unsigned bytes, the only one supported. */
    public static final int TYPE_UNSIGNED_BYTE = 0x08;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private IdxReader() {
    }

    /**
     * The raw contents of an IDX file.
     *
     * @param dims the dimensions from the header, outermost first (all positive)
     * @param data the payload, row-major, unsigned bytes
     */
    public record Idx(int[] dims, byte[] data) {
    }

    /**
     * The raw contents of an IDX image file ({@code idx3}).
     *
     * @param count number of images
     * @param height rows per image
     * @param width columns per image
     * @param pixels {@code count*height*width} unsigned bytes, row-major
     */
    public record Images(int count, int height, int width, byte[] pixels) {
    }

    /**
     * Reads an image file: an IDX file of unsigned bytes with three dimensions (N, H, W).
     *
     * @param file the file, plain or gzipped
     * @return the images
     * @throws DatasetException if the file is missing, unreadable, not IDX, not 3-dimensional,
     *     truncated or longer than its header says
     */
    public static Images readImages(Path file) {
        return readImages(readAllBytes(file), file.toString());
    }

    /**
     * @param bytes a whole image file, decompressed ({@link #contents})
     * @param file its name, for messages
     */
    public static Images readImages(byte[] bytes, String file) {
        int[] dims = parseHeader(file, bytes);
        if (dims.length != 3) {
            throw new DatasetException(file + ": expected an image file with 3 dimensions "
                + "(count, height, width) but the header has " + dims.length + " " + Arrays.toString(dims));
        }
        long payload = (long) dims[0] * dims[1] * dims[2];
        checkLength(file, bytes, dims, payload,
            dims[0] + " images of " + dims[1] + "x" + dims[2]);
        return new Images(dims[0], dims[1], dims[2], payload(bytes, dims.length, payload));
    }

    /**
     * Reads a label file: an IDX file of unsigned bytes with one dimension (N).
     *
     * @param file the file, plain or gzipped
     * @return the labels, each in [0, 255]
     * @throws DatasetException if the file is missing, unreadable, not IDX, not 1-dimensional,
     *     truncated or longer than its header says
     */
    public static int[] readLabels(Path file) {
        return readLabels(readAllBytes(file), file.toString());
    }

    /**
     * @param bytes a whole label file, decompressed ({@link #contents})
     * @param file its name, for messages
     */
    public static int[] readLabels(byte[] bytes, String file) {
        int[] dims = parseHeader(file, bytes);
        if (dims.length != 1) {
            throw new DatasetException(file + ": expected a label file with 1 dimension but the header has "
                + dims.length + " " + Arrays.toString(dims));
        }
        checkLength(file, bytes, dims, dims[0], dims[0] + " labels");
        int[] labels = new int[dims[0]];
        int header = headerLength(1);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = bytes[header + i] & 0xff;
        }
        return labels;
    }

    /**
     * Reads any unsigned-byte IDX file.
     *
     * @param file the file, plain or gzipped
     * @return its dimensions and payload
     * @throws DatasetException if the file is missing, unreadable, not IDX, or its length does
     *     not match the header
     */
    public static Idx read(Path file) {
        byte[] bytes = readAllBytes(file);
        String name = file.toString();
        int[] dims = parseHeader(name, bytes);
        long payload = 1;
        for (int d : dims) {
            payload *= d;
        }
        checkLength(name, bytes, dims, payload, "dims " + Arrays.toString(dims));
        return new Idx(dims, payload(bytes, dims.length, payload));
    }

    /** Whole (decompressed) file; MNIST-sized files fit comfortably in memory. */
    private static byte[] readAllBytes(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + ": no such file");
        }
        try (InputStream raw = Files.newInputStream(file)) {
            return contents(raw, file.toString());
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e + ")", e);
        }
    }

    /**
     * Reads a whole stream, decompressing it if it starts with the gzip magic bytes.
     *
     * @param raw the file's bytes as stored (from any file system); not closed here
     * @param file its name, for messages
     * @throws DatasetException if the gzip data is corrupt or the stream fails
     */
    public static byte[] contents(InputStream raw, String file) {
        try {
            InputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
                return new GZIPInputStream(in, 1 << 16).readAllBytes();
            }
            return in.readAllBytes();
        } catch (ZipException | java.io.EOFException e) {
            throw new DatasetException(file + ": corrupt gzip data (" + e.getMessage()
                + "); delete the file and fetch it again", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e + ")", e);
        }
    }

    private static int headerLength(int numDims) {
        return 4 + 4 * numDims;
    }

    /** Validates magic and dimensions; returns the dimensions. */
    private static int[] parseHeader(String file, byte[] b) {
        if (b.length < 4 || b[0] != 0 || b[1] != 0) {
            StringBuilder magic = new StringBuilder();
            for (int i = 0; i < Math.min(4, b.length); i++) {
                magic.append(i == 0 ? "" : " ").append(String.format("0x%02x", b[i] & 0xff));
            }
            throw new DatasetException(file + ": not an IDX file (magic " + magic
                + (b.length < 4 ? ", only " + b.length + " bytes" : "")
                + "; expected 0x00 0x00 <type> <dims>)");
        }
        int type = b[2] & 0xff;
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new DatasetException(file + ": IDX element type " + String.format("0x%02x", type)
                + " is not supported (only unsigned byte 0x08)");
        }
        int numDims = b[3] & 0xff;
        if (numDims == 0) {
            throw new DatasetException(file + ": IDX header declares 0 dimensions; expected at least 1");
        }
        if (b.length < headerLength(numDims)) {
            throw new DatasetException(file + ": truncated: the header announces " + numDims
                + " dimensions (" + headerLength(numDims) + " header bytes) but the file holds " + b.length);
        }
        int[] dims = new int[numDims];
        for (int i = 0; i < numDims; i++) {
            int o = 4 + 4 * i;
            // Big-endian; a value >= 2^31 reads negative and is rejected with the zero case.
            dims[i] = ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
            if (dims[i] <= 0) {
                throw new DatasetException(file + ": IDX dimension " + i + " is "
                    + Integer.toUnsignedString(dims[i]) + "; dimensions must be positive (and < 2^31)");
            }
        }
        return dims;
    }

    private static void checkLength(String file, byte[] b, int[] dims, long payload, String what) {
        long expected = headerLength(dims.length) + payload;
        if (expected > Integer.MAX_VALUE - 8) {
            throw new DatasetException(file + ": header says " + what + " (" + expected
                + " bytes), too large for one array");
        }
        if (b.length < expected) {
            throw new DatasetException(file + ": truncated: header says " + what + " (" + expected
                + " bytes) but the file holds " + b.length + "; delete the file and fetch it again");
        }
        if (b.length > expected) {
            throw new DatasetException(file + ": " + (b.length - expected) + " trailing bytes: header says "
                + what + " (" + expected + " bytes) but the file holds " + b.length
                + "; the file is corrupt or not what its name says");
        }
    }

    private static byte[] payload(byte[] bytes, int numDims, long payload) {
        int from = headerLength(numDims);
        return Arrays.copyOfRange(bytes, from, from + (int) payload);
    }
}
