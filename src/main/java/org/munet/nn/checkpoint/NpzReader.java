package org.munet.nn.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.munet.nn.HalfFloats;
import org.munet.nn.HostTensor;

/**
 * Reads every array of an {@code .npz} (a zip of {@code .npy} files, as {@code numpy.savez} and
 * vit_jax/big_vision write them) as float32. Keys are the entry names without {@code .npy}; vit_jax
 * uses '/' inside them ({@code Transformer/encoder_norm/scale}).
 */
final class NpzReader {

    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpzReader() {}

    static Map<String, HostTensor> read(byte[] bytes, String source) {
        if (bytes.length < 4 || bytes[0] != 'P' || bytes[1] != 'K') {
            throw new CheckpointException(source + ": not an .npz checkpoint: it is not a zip file"
                    + " (if it is safetensors, set root.format: safetensors)");
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
                out.put(key, npy(zip.readAllBytes(), source, key));
            }
        } catch (IOException e) {
            throw new CheckpointException(source + ": not a readable .npz checkpoint: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new CheckpointException(source + ": not an .npz checkpoint: the zip holds no arrays");
        }
        return out;
    }

    /** One .npy: magic, version, header length, a Python dict literal, then the data. */
    private static HostTensor npy(byte[] b, String source, String key) {
        for (int i = 0; i < NPY_MAGIC.length; i++) {
            if (b.length <= i || b[i] != NPY_MAGIC[i]) {
                throw new CheckpointException(source + ": entry '" + key + "' is not a .npy array");
            }
        }
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int major = b[6];
        int headerLength = major == 1 ? Short.toUnsignedInt(in.getShort(8)) : in.getInt(8);
        int headerStart = major == 1 ? 10 : 12;
        if (headerStart + headerLength > b.length) {
            throw new CheckpointException(source + ": entry '" + key + "' has a truncated .npy header");
        }
        String header = new String(b, headerStart, headerLength, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeText = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeText.find()) {
            throw new CheckpointException(source + ": entry '" + key + "' has an unreadable .npy header: " + header.trim());
        }
        String dtype = descr.group(1);
        int width = switch (dtype) {
            case "<f4" -> 4;
            case "<f2" -> 2;
            default -> throw new CheckpointException(source + ": array '" + key + "' has dtype " + dtype
                    + "; a root checkpoint must hold little-endian float32 (<f4) or float16 (<f2) arrays"
                    + " (convert it, e.g. with arr.astype(np.float32))");
        };
        long[] shape = parseShape(shapeText.group(1));
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        int dataStart = headerStart + headerLength;
        if (count > Integer.MAX_VALUE || b.length - dataStart != count * width) {
            throw new CheckpointException(source + ": array '" + key + "' should hold " + count + " values of "
                    + dtype + " but has " + (b.length - dataStart) + " data bytes (truncated file?)");
        }
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = width == 4 ? in.getFloat(dataStart + 4 * i)
                    : HalfFloats.fromFloat16(in.getShort(dataStart + 2 * i));
        }
        if ("True".equals(fortran.group(1))) {
            values = fromFortranOrder(values, shape);
        }
        return new HostTensor(shape, values);
    }

    private static long[] parseShape(String text) {
        String[] parts = text.split(",");
        int n = 0;
        long[] shape = new long[parts.length];
        for (String p : parts) {
            if (!p.isBlank()) {
                shape[n++] = Long.parseLong(p.trim().replace("L", ""));
            }
        }
        return java.util.Arrays.copyOf(shape, n);
    }

    /** Column-major data (numpy's fortran_order) reordered to row-major. */
    private static float[] fromFortranOrder(float[] values, long[] shape) {
        float[] out = new float[values.length];
        int rank = shape.length;
        int[] index = new int[rank];
        for (int flat = 0; flat < values.length; flat++) {
            // index counts in row-major order; its column-major offset is where the value is
            int columnMajor = 0;
            int stride = 1;
            for (int d = 0; d < rank; d++) {
                columnMajor += index[d] * stride;
                stride *= (int) shape[d];
            }
            out[flat] = values[columnMajor];
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }
}
