package org.munet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.munet.store.Sha256;

class ComponentCodecTest {

    private static HostComponent sample() {
        Map<String, HostTensor> params = new LinkedHashMap<>();
        params.put("weight", new HostTensor(new long[] {2, 3},
                new float[] {1.5f, -0f, Float.MIN_VALUE, 3e38f, -7.25f, 0.1f}));
        params.put("bias", new HostTensor(new long[] {2}, new float[] {Float.NaN, 2f}));
        Map<String, HostTensor> momentum = Map.of("weight",
                new HostTensor(new long[] {2, 3}, new float[] {0.001f, 2, 3, 4, 5, 6}));
        return new HostComponent("head", params, momentum);
    }

    /**
     * The component files' bytes are what the manifests' checksums were taken of: these hashes were
     * recorded from the encoder before the safetensors format moved to {@link Safetensors}, and any
     * change to header order, spacing or data layout would break every committed state.
     */
    @Test
    void encodingIsByteIdenticalToTheRecordedOne() {
        assertEquals("401c036b7e464d8891b778df12c9be51bae485f1a63220f43f6b77f92f6a3c3c",
                Sha256.hex(ComponentCodec.encode(sample())));
        Map<String, HostTensor> params = new LinkedHashMap<>();
        params.put("ln1.scale", new HostTensor(new long[] {4}, new float[] {1f, 0.5f, -2f, 1e-7f}));
        params.put("attention.qkv.weight", new HostTensor(new long[] {3, 4, 1},
                new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.5f}));
        assertEquals("6706578c48da08ad65aed1e0e2a80dee06bba88a7dedcd4ab4461cf861de894d",
                Sha256.hex(ComponentCodec.encode(new HostComponent("encoderblock_3", params, Map.of()))));
    }

    @Test
    void roundTripIsBitwise() {
        HostComponent original = sample();
        HostComponent back = ComponentCodec.decode(ComponentCodec.encode(original), "mem");
        assertTrue(original.bitwiseEquals(back));
        assertEquals(original.parameters().keySet(), back.parameters().keySet(), "order kept");
        // -0f and NaN survive bit for bit
        assertEquals(Float.floatToRawIntBits(-0f),
                Float.floatToRawIntBits(back.parameters().get("weight").values()[1]));
    }

    @Test
    void writesStandardSafetensorsLayout() throws Exception {
        byte[] bytes = ComponentCodec.encode(sample());
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = in.getLong();
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        Map<?, ?> header = new ObjectMapper().readValue(
                new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8), Map.class);
        Map<?, ?> weight = (Map<?, ?>) header.get("param/weight");
        assertEquals("F32", weight.get("dtype"));
        assertEquals(Arrays.asList(2, 3), weight.get("shape"));
        assertEquals(Arrays.asList(0, 24), weight.get("data_offsets"));
        assertEquals(8 + headerLength + (6 + 2 + 6) * 4, bytes.length);
        assertEquals(1.5f, ByteBuffer.wrap(bytes, (int) (8 + headerLength), 4)
                .order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test
    void truncatedFileNamesSourceAndProblem() {
        byte[] bytes = ComponentCodec.encode(sample());
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComponentCodec.decode(cut, "components/17.safetensors"));
        assertTrue(e.getMessage().contains("components/17.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void garbageIsRejected() {
        byte[] junk = "definitely not a tensor file".getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComponentCodec.decode(junk, "x.bin"));
        assertTrue(e.getMessage().startsWith("x.bin: not a readable component file"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ComponentCodec.decode(new byte[3], "y"));
    }

    @Test
    void readsBfloat16() {
        assertEquals(1.0f, ComponentCodec.fromBfloat16((short) 0x3F80));
        assertEquals(-2.0f, ComponentCodec.fromBfloat16((short) 0xC000));
        assertArrayEquals(new float[] {0f}, new float[] {ComponentCodec.fromBfloat16((short) 0)});
    }
}
