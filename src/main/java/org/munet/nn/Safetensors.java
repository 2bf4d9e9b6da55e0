package org.munet.nn;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named tensors to and from bytes in the safetensors format, which PyTorch, JAX, NumPy and Rust
 * tools read directly: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range (plus an optional {@code __metadata__} map of strings), then the raw
 * little-endian data.
 *
 * <p>Written as F32, the precision the engine keeps, so a round trip is bit-exact; F32 and BF16
 * are read. Written by hand because no maintained safetensors library for Java is available here;
 * the format is small and fixed.
 *
 * <p>The encoding is deterministic: the header lists {@code __metadata__} first, then the tensors
 * in the map's iteration order, and the data follows in the same order. Component files are
 * addressed by the SHA-256 of these bytes, so this layout must never change.
 */
public final class Safetensors {

    /** The header key that holds the string-to-string metadata. */
    public static final String METADATA = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Larger headers are not something this project writes; refuse rather than allocate. */
    private static final long MAX_HEADER = 1 << 24;

    private Safetensors() {}

    /**
     * The tensors and metadata of one safetensors file.
     *
     * @param metadata the header's {@code __metadata__}, empty when it has none
     * @param tensors tensor name to values, in header order
     */
    public record Contents(Map<String, String> metadata, Map<String, HostTensor> tensors) {
        public Contents {
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        }
    }

    /**
     * Encodes {@code tensors} in iteration order, all as F32.
     *
     * @param metadata written as {@code __metadata__} when not empty; pass an ordered map (a
     *     {@code Map.of} iterates in a per-JVM order, which would make the bytes differ per JVM)
     */
    public static byte[] encode(Map<String, HostTensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put(METADATA, metadata);
        }
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
            }
            long bytes = e.getValue().size() * 4;
            header.put(e.getKey(), entry("F32", e.getValue(), offset, offset + bytes));
            offset += bytes;
        }
        byte[] headerBytes;
        try {
            headerBytes = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int padded = (headerBytes.length + 7) / 8 * 8; // the spec pads the header with spaces
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(headerBytes);
        for (int i = headerBytes.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (HostTensor t : tensors.values()) {
            for (float v : t.values()) {
                out.putFloat(v);
            }
        }
        return out.array();
    }

    /**
     * Decodes a safetensors file.
     *
     * @param source names the bytes' origin in error messages, e.g. a file path
     * @param kind what the file should be, e.g. {@code "component file"}, for error messages
     * @throws IllegalArgumentException {@code "<source>: not a readable <kind>: <problem>"}
     */
    public static Contents decode(byte[] bytes, String source, String kind) {
        if (bytes.length < 8) {
            throw corrupt(source, kind, "shorter than the 8-byte header length");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = in.getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
            throw corrupt(source, kind, "header length " + headerLength + " does not fit the "
                    + bytes.length + " bytes");
        }
        Map<String, Object> header;
        try {
            header = JSON.readValue(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw corrupt(source, kind, "header is not valid JSON (" + e.getMessage() + ")");
        }
        Map<String, String> metadata = metadata(header.remove(METADATA), source, kind);
        long dataStart = 8 + headerLength;
        long dataLength = bytes.length - dataStart;
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> info)) {
                throw corrupt(source, kind, "entry " + e.getKey() + " is not an object");
            }
            tensors.put(e.getKey(), readTensor(in, info, dataStart, dataLength, source, kind, e.getKey()));
        }
        return new Contents(metadata, tensors);
    }

    private static Map<String, String> metadata(Object meta, String source, String kind) {
        Map<String, String> out = new LinkedHashMap<>();
        if (meta == null) {
            return out;
        }
        if (!(meta instanceof Map<?, ?> m)) {
            throw corrupt(source, kind, METADATA + " is not an object");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String value)) {
                throw corrupt(source, kind, METADATA + "." + e.getKey() + " is not a string");
            }
            out.put((String) e.getKey(), value);
        }
        return out;
    }

    private static HostTensor readTensor(ByteBuffer in, Map<?, ?> info, long dataStart,
            long dataLength, String source, String kind, String key) {
        Object dtype = info.get("dtype");
        int width;
        if ("F32".equals(dtype)) {
            width = 4;
        } else if ("BF16".equals(dtype) || "F16".equals(dtype)) {
            width = 2;
        } else {
            throw corrupt(source, kind, key + " has dtype " + dtype + "; only F32, F16 and BF16 are supported"
                    + " (convert it, e.g. with tensor.float() before saving)");
        }
        if (!(info.get("shape") instanceof List<?> dims) || !(info.get("data_offsets") instanceof List<?> range)
                || range.size() != 2 || !dims.stream().allMatch(d -> d instanceof Number)
                || !range.stream().allMatch(d -> d instanceof Number)) {
            throw corrupt(source, kind, key + " lacks shape or data_offsets");
        }
        long[] shape = dims.stream().mapToLong(d -> ((Number) d).longValue()).toArray();
        long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        long begin = ((Number) range.get(0)).longValue();
        long end = ((Number) range.get(1)).longValue();
        if (begin < 0 || end > dataLength || end - begin != count * width || count > Integer.MAX_VALUE) {
            throw corrupt(source, kind, key + ": data_offsets [" + begin + ", " + end + ") do not hold "
                    + count + " " + dtype + " values within " + dataLength + " data bytes (truncated?)");
        }
        float[] values = new float[(int) count];
        int pos = (int) (dataStart + begin);
        for (int i = 0; i < values.length; i++) {
            values[i] = width == 4 ? in.getFloat(pos + 4 * i)
                    : "F16".equals(dtype) ? HalfFloats.fromFloat16(in.getShort(pos + 2 * i))
                    : HalfFloats.fromBfloat16(in.getShort(pos + 2 * i));
        }
        return new HostTensor(shape, values);
    }

    private static Map<String, Object> entry(String dtype, HostTensor t, long begin, long end) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dtype", dtype);
        m.put("shape", t.shape());
        m.put("data_offsets", new long[] {begin, end});
        return m;
    }

    /** A bfloat16 is the upper half of a float32: widening is exact. */

    private static IllegalArgumentException corrupt(String source, String kind, String what) {
        return new IllegalArgumentException(source + ": not a readable " + kind + ": " + what);
    }
}
