package org.munet.nn;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Component tensors to and from bytes in the safetensors format, which PyTorch, JAX, NumPy and Rust
 * tools read directly: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>Parameters are stored as {@code param/<name>}, momentum traces as {@code momentum/<name>},
 * both in F32 (the precision they are kept in, so the round trip is exact); BF16 is also read. The header's {@code __metadata__} names the component. Written by hand because no
 * maintained safetensors library for Java is available here; the format is small and fixed.
 */
public final class ComponentCodec {

    static final String FORMAT = "munet-component-v1";
    private static final String PARAM = "param/";
    private static final String MOMENTUM = "momentum/";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Larger headers are not something this project writes; refuse rather than allocate. */
    private static final long MAX_HEADER = 1 << 24;

    private ComponentCodec() {}

    public static byte[] encode(HostComponent component) {
        Map<String, Object> header = new LinkedHashMap<>();
        // Ordered maps only: Map.of iterates in a per-JVM random order, which would give the same
        // component a different file (and checksum) in every JVM.
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("component", component.name());
        metadata.put("format", FORMAT);
        header.put("__metadata__", metadata);
        long offset = 0;
        for (Map.Entry<String, HostTensor> e : component.parameters().entrySet()) {
            long bytes = e.getValue().size() * 4;
            header.put(PARAM + e.getKey(), entry("F32", e.getValue(), offset, offset + bytes));
            offset += bytes;
        }
        for (Map.Entry<String, HostTensor> e : component.momentum().entrySet()) {
            long bytes = e.getValue().size() * 4;
            header.put(MOMENTUM + e.getKey(), entry("F32", e.getValue(), offset, offset + bytes));
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
        for (HostTensor t : component.parameters().values()) {
            for (float v : t.values()) {
                out.putFloat(v);
            }
        }
        for (HostTensor t : component.momentum().values()) {
            for (float v : t.values()) {
                out.putFloat(v);
            }
        }
        return out.array();
    }

    /**
     * Reads a component; {@code source} names the bytes' origin in error messages.
     *
     * @throws IllegalArgumentException naming the source and what is wrong
     */
    public static HostComponent decode(byte[] bytes, String source) {
        if (bytes.length < 8) {
            throw corrupt(source, "shorter than the 8-byte header length");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = in.getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
            throw corrupt(source, "header length " + headerLength + " does not fit the "
                    + bytes.length + " bytes");
        }
        Map<String, Object> header;
        try {
            header = JSON.readValue(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw corrupt(source, "header is not valid JSON (" + e.getMessage() + ")");
        }
        Object meta = header.remove("__metadata__");
        if (!(meta instanceof Map<?, ?> m) || !FORMAT.equals(m.get("format"))
                || !(m.get("component") instanceof String name)) {
            throw corrupt(source, "header lacks __metadata__ {format: " + FORMAT + ", component}");
        }
        long dataStart = 8 + headerLength;
        long dataLength = bytes.length - dataStart;
        Map<String, HostTensor> params = new LinkedHashMap<>();
        Map<String, HostTensor> momentum = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            String key = e.getKey();
            if (!(e.getValue() instanceof Map<?, ?> info)) {
                throw corrupt(source, "entry " + key + " is not an object");
            }
            HostTensor t = readTensor(in, info, dataStart, dataLength, source, key);
            if (key.startsWith(PARAM)) {
                params.put(key.substring(PARAM.length()), t);
            } else if (key.startsWith(MOMENTUM)) {
                momentum.put(key.substring(MOMENTUM.length()), t);
            } else {
                throw corrupt(source, "unexpected tensor " + key);
            }
        }
        try {
            return new HostComponent(name, params, momentum);
        } catch (IllegalArgumentException e) {
            throw corrupt(source, e.getMessage());
        }
    }

    private static HostTensor readTensor(ByteBuffer in, Map<?, ?> info, long dataStart,
            long dataLength, String source, String key) {
        Object dtype = info.get("dtype");
        int width;
        if ("F32".equals(dtype)) {
            width = 4;
        } else if ("BF16".equals(dtype)) {
            width = 2;
        } else {
            throw corrupt(source, key + " has dtype " + dtype + "; only F32 and BF16 are supported");
        }
        if (!(info.get("shape") instanceof List<?> dims) || !(info.get("data_offsets") instanceof List<?> range)
                || range.size() != 2) {
            throw corrupt(source, key + " lacks shape or data_offsets");
        }
        long[] shape = dims.stream().mapToLong(d -> ((Number) d).longValue()).toArray();
        long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        long begin = ((Number) range.get(0)).longValue();
        long end = ((Number) range.get(1)).longValue();
        if (begin < 0 || end > dataLength || end - begin != count * width || count > Integer.MAX_VALUE) {
            throw corrupt(source, key + ": data_offsets [" + begin + ", " + end + ") do not hold "
                    + count + " " + dtype + " values within " + dataLength + " data bytes (truncated?)");
        }
        float[] values = new float[(int) count];
        int pos = (int) (dataStart + begin);
        for (int i = 0; i < values.length; i++) {
            values[i] = width == 4 ? in.getFloat(pos + 4 * i) : fromBfloat16(in.getShort(pos + 2 * i));
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

    static float fromBfloat16(short v) {
        return Float.intBitsToFloat((v & 0xFFFF) << 16);
    }

    private static IllegalArgumentException corrupt(String source, String what) {
        return new IllegalArgumentException(source + ": not a readable component file: " + what);
    }
}
