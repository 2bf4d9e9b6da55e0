package org.munet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafetensorsTest {

    @Test
    void roundTripKeepsOrderMetadataAndBits() {
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        tensors.put("z.weight", new HostTensor(new long[] {2, 2}, new float[] {1f, -0f, Float.NaN, 3e-40f}));
        tensors.put("a.bias", new HostTensor(new long[] {1}, new float[] {7f}));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        Safetensors.Contents back = Safetensors.decode(Safetensors.encode(tensors, metadata), "mem", "test file");
        assertEquals(metadata, back.metadata());
        assertEquals(tensors, back.tensors(), "HostTensor equality is bitwise");
        assertEquals(java.util.List.of("z.weight", "a.bias"), java.util.List.copyOf(back.tensors().keySet()));
    }

    @Test
    void noMetadataIsWrittenWhenNoneIsGiven() {
        byte[] bytes = Safetensors.encode(Map.of("x", new HostTensor(new long[] {1}, new float[] {1f})), Map.of());
        assertTrue(!new String(bytes, StandardCharsets.UTF_8).contains(Safetensors.METADATA));
        assertEquals(Map.of(), Safetensors.decode(bytes, "mem", "test file").metadata());
    }

    @Test
    void nonStringMetadataIsRejectedNamingTheKey() {
        String header = "{\"__metadata__\":{\"n\":3}}";
        byte[] bytes = new byte[8 + header.length()];
        bytes[0] = (byte) header.length();
        System.arraycopy(header.getBytes(StandardCharsets.UTF_8), 0, bytes, 8, header.length());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.decode(bytes, "f.safetensors", "weights file"));
        assertEquals("f.safetensors: not a readable weights file: __metadata__.n is not a string", e.getMessage());
    }
}
