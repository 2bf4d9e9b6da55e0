package org.munet.nn.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.munet.nn.HostTensor;

/**
 * Reads every tensor of a safetensors file (8-byte little-endian header length, a JSON header with
 * each tensor's dtype, shape and byte range, then raw little-endian data) as float32.
 *
 * <p>Self-contained on purpose: munet's component files are also safetensors, but their codec is
 * specialised to munet's own layout; a pretrained checkpoint needs F16 as well and arbitrary keys.
 */
final class SafetensorsReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Real headers are kilobytes; a larger one means this is not a safetensors file. */
    private static final long MAX_HEADER = 100L << 20;

    private SafetensorsReader() {}

    static Map<String, HostTensor> read(byte[] bytes, String source) {
        if (bytes.length < 8) {
            throw notSafetensors(source, "shorter than the 8-byte header length");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = in.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
            throw notSafetensors(source, "its first 8 bytes give a header length of " + headerLength
                    + " for a file of " + bytes.length + " bytes");
        }
        Map<String, Object> header;
        try {
            header = JSON.readValue(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw notSafetensors(source, "its header is not JSON (" + e.getMessage() + ")");
        }
        header.remove("__metadata__");
        long dataStart = 8 + headerLength;
        long dataLength = bytes.length - dataStart;
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> info)) {
                throw notSafetensors(source, "header entry '" + e.getKey() + "' is not an object");
            }
            out.put(e.getKey(), tensor(in, info, dataStart, dataLength, source, e.getKey()));
        }
        return out;
    }

    private static HostTensor tensor(ByteBuffer in, Map<?, ?> info, long dataStart, long dataLength,
            String source, String key) {
        Object dtype = info.get("dtype");
        int width = switch (String.valueOf(dtype)) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw new CheckpointException(source + ": tensor '" + key + "' has dtype " + dtype
                    + "; a root checkpoint must hold F32, F16 or BF16 tensors (convert it, e.g. with"
                    + " tensor.float() before saving)");
        };
        if (!(info.get("shape") instanceof List<?> dims) || !(info.get("data_offsets") instanceof List<?> range)
                || range.size() != 2) {
            throw notSafetensors(source, "tensor '" + key + "' lacks shape or data_offsets");
        }
        long[] shape = dims.stream().mapToLong(d -> ((Number) d).longValue()).toArray();
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        long begin = ((Number) range.get(0)).longValue();
        long end = ((Number) range.get(1)).longValue();
        if (begin < 0 || end > dataLength || end - begin != count * width || count > Integer.MAX_VALUE) {
            throw notSafetensors(source, "tensor '" + key + "': data_offsets [" + begin + ", " + end
                    + ") do not hold " + count + " " + dtype + " values within " + dataLength
                    + " data bytes (truncated file?)");
        }
        float[] values = new float[(int) count];
        int pos = (int) (dataStart + begin);
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (width) {
                case 4 -> in.getFloat(pos + 4 * i);
                default -> "F16".equals(dtype) ? HalfFloats.fromFloat16(in.getShort(pos + 2 * i))
                        : HalfFloats.fromBfloat16(in.getShort(pos + 2 * i));
            };
        }
        return new HostTensor(shape, values);
    }

    private static CheckpointException notSafetensors(String source, String why) {
        return new CheckpointException(source + ": not a safetensors checkpoint: " + why
                + " (if it is an .npz, set root.format: npz)");
    }
}
