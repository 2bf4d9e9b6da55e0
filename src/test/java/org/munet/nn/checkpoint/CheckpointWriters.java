package org.munet.nn.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.munet.nn.HostTensor;

/** Writes tensors as safetensors and .npz files, as timm, transformers and numpy would, for tests. */
public final class CheckpointWriters {

    private CheckpointWriters() {}

    /** @param dtype F32, F16 or BF16 (16-bit values are the floats' nearest, truncated for BF16) */
    public static Path safetensors(Path file, Map<String, HostTensor> tensors, String dtype) throws IOException {
        int width = dtype.equals("F32") ? 4 : 2;
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            long bytes = e.getValue().size() * width;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", dtype);
            entry.put("shape", e.getValue().shape());
            entry.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(e.getKey(), entry);
            offset += bytes;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        ByteBuffer out = ByteBuffer.allocate((int) (8 + json.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        for (HostTensor t : tensors.values()) {
            for (float v : t.values()) {
                switch (dtype) {
                    case "F32" -> out.putFloat(v);
                    case "BF16" -> out.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
                    default -> out.putShort(toFloat16(v));
                }
            }
        }
        Files.write(file, out.array());
        return file;
    }

    /** A numpy .npz of float32 (or float16) arrays, one entry {@code key.npy} per tensor. */
    static Path npz(Path file, Map<String, HostTensor> tensors, boolean float16) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(npy(e.getValue(), float16));
                zip.closeEntry();
            }
        }
        Files.write(file, bytes.toByteArray());
        return file;
    }

    static byte[] npy(HostTensor t, boolean float16) {
        StringBuilder shape = new StringBuilder("(");
        for (long d : t.shape()) {
            shape.append(d).append(", ");
        }
        String dict = "{'descr': '" + (float16 ? "<f2" : "<f4") + "', 'fortran_order': False, 'shape': "
                + shape.toString().replaceAll(", $", t.shape().length == 1 ? "," : "") + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - unpadded) + "\n";
        int width = float16 ? 2 : 4;
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + t.values().length * width)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : t.values()) {
            if (float16) {
                out.putShort(toFloat16(v));
            } else {
                out.putFloat(v);
            }
        }
        return out.array();
    }

    /** float32 to binary16 for values in the normal float16 range (the tests' values are). */
    static short toFloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        int sign = (bits >>> 16) & 0x8000;
        float abs = Math.abs(v);
        if (abs == 0f) {
            return (short) sign;
        }
        int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
        if (exponent <= 0) {
            return (short) (sign | Math.round(abs / 0x1p-24f)); // subnormal
        }
        int mantissa = Math.round((bits & 0x7FFFFF) / (float) (1 << 13));
        if (mantissa == 1 << 10) {
            mantissa = 0;
            exponent++;
        }
        return (short) (sign | (exponent << 10) | mantissa);
    }
}
