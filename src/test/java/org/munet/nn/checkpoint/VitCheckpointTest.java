package org.munet.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.nn.HostComponent;
import org.munet.nn.HalfFloats;
import org.munet.nn.HostTensor;

/** The checkpoint importer on tiny synthetic checkpoints in each naming, and on every kind of bad input. */
class VitCheckpointTest {

    private static final Configuration HADOOP = new Configuration();

    private static VitCheckpoint read(Path file) {
        return VitCheckpoint.read(file.toString(), null, HADOOP);
    }

    private static void assertSameAsMunet(TinyVitWeights w, VitCheckpoint c) {
        List<HostComponent> got = c.components(w.patch * w.grid);
        List<String> names = got.stream().map(HostComponent::name).toList();
        assertEquals(List.of("embedding", "cls", "posembed_input", "encoderblock_0", "encoderblock_1", "encoder_norm"),
                names, "every component but the head, in model order");
        for (HostComponent h : got) {
            Map<String, HostTensor> expected = w.munet.get(h.name());
            assertEquals(expected.keySet(), h.parameters().keySet(), h.name());
            for (String p : expected.keySet()) {
                assertTrue(expected.get(p).bitwiseEquals(h.parameters().get(p)), h.name() + "." + p + " differs");
            }
        }
        assertEquals(w.patch, c.dims().patchSize());
        assertEquals(w.channels, c.dims().channels());
        assertEquals(w.width, c.dims().hiddenSize());
        assertEquals(w.mlp, c.dims().mlpDim());
        assertEquals(w.blocks, c.dims().numLayers());
        assertEquals(w.grid, c.grid());
    }

    @Test
    void threeNamingsGiveTheSameMunetComponents(@TempDir Path dir) throws IOException {
        TinyVitWeights w = TinyVitWeights.small();
        VitCheckpoint timm = read(CheckpointWriters.safetensors(dir.resolve("timm.safetensors"), w.timm(), "F32"));
        VitCheckpoint hf = read(CheckpointWriters.safetensors(dir.resolve("hf.safetensors"), w.huggingFace(), "F32"));
        VitCheckpoint jax = read(CheckpointWriters.npz(dir.resolve("vit.npz"), w.vitJax(""), false));
        VitCheckpoint bigVision = read(CheckpointWriters.npz(dir.resolve("bv.npz"), w.vitJax("params/"), false));
        // Without a telling extension the content decides.
        assertSameAsMunet(w, read(CheckpointWriters.npz(dir.resolve("vit_weights"), w.vitJax(""), false)));
        assertSameAsMunet(w, read(CheckpointWriters.safetensors(dir.resolve("model.bin"), w.timm(), "F32")));
        assertEquals("timm", timm.naming());
        assertEquals("Hugging Face ViT", hf.naming());
        assertEquals("vit_jax npz", jax.naming());
        assertEquals("vit_jax npz", bigVision.naming(), "vit_jax names under big_vision's params/ prefix");
        for (VitCheckpoint c : List.of(timm, hf, jax, bigVision)) {
            assertSameAsMunet(w, c);
        }
        assertNull(timm.dims().numHeads(), "timm weights do not record heads");
        assertNull(hf.dims().numHeads());
        assertEquals(w.heads, jax.dims().numHeads(), "vit_jax's per-head kernels do");
        assertEquals(64, timm.sha256().length());
    }

    @Test
    void bigVisionModuleNamesAndItsPositionEmbeddingWithoutClassRow(@TempDir Path dir) throws IOException {
        TinyVitWeights w = TinyVitWeights.small();
        VitCheckpoint c = read(CheckpointWriters.npz(dir.resolve("bv.npz"), w.bigVision("params/"), false));
        assertEquals("big_vision npz", c.naming());
        // big_vision's class token gets no position embedding: a zero row in munet's layout.
        float[] pos = w.get("posembed_input", "pos_embedding").values().clone();
        java.util.Arrays.fill(pos, 0, w.width, 0f);
        w.munet.get("posembed_input").put("pos_embedding", new HostTensor(new long[] {1, 10, w.width}, pos));
        assertSameAsMunet(w, c);
        assertEquals(w.heads, c.dims().numHeads());
    }

    @Test
    void readsThroughAHadoopUri(@TempDir Path dir) throws IOException {
        TinyVitWeights w = TinyVitWeights.small();
        Path file = CheckpointWriters.safetensors(dir.resolve("timm.safetensors"), w.timm(), "F32");
        VitCheckpoint c = VitCheckpoint.read(file.toUri().toString(), "safetensors", HADOOP);
        assertSameAsMunet(w, c);
        assertEquals(CheckpointFile.sha256Of(file.toString(), HADOOP), c.sha256());
    }

    @Test
    void sixteenBitTensorsWidenExactly(@TempDir Path dir) throws IOException {
        TinyVitWeights w = TinyVitWeights.small();
        VitCheckpoint f16 = read(CheckpointWriters.safetensors(dir.resolve("h.safetensors"), w.timm(), "F16"));
        VitCheckpoint bf16 = read(CheckpointWriters.safetensors(dir.resolve("b.safetensors"), w.timm(), "BF16"));
        VitCheckpoint npz16 = read(CheckpointWriters.npz(dir.resolve("h.npz"), w.vitJax(""), true));
        float[] original = w.get("encoderblock_1", "mlp.fc2.weight").values();
        float[] half = param(f16, "encoderblock_1", "mlp.fc2.weight");
        float[] brain = param(bf16, "encoderblock_1", "mlp.fc2.weight");
        float[] npzHalf = param(npz16, "encoderblock_1", "mlp.fc2.weight");
        for (int i = 0; i < original.length; i++) {
            assertEquals(HalfFloats.fromFloat16(CheckpointWriters.toFloat16(original[i])), half[i], 0f);
            assertEquals(Float.intBitsToFloat(Float.floatToRawIntBits(original[i]) & 0xFFFF0000), brain[i], 0f);
            assertEquals(half[i], npzHalf[i], 0f, "npz float16 and safetensors F16 decode alike");
            assertEquals(original[i], half[i], 1e-3f);
        }
        assertEquals(1f, HalfFloats.fromFloat16((short) 0x3C00));
        assertEquals(-2f, HalfFloats.fromFloat16((short) 0xC000));
        assertEquals(0x1p-24f, HalfFloats.fromFloat16((short) 0x0001), "smallest subnormal");
        assertEquals(65504f, HalfFloats.fromFloat16((short) 0x7BFF));
    }

    private static float[] param(VitCheckpoint c, String component, String param) {
        return c.components(c.dims().patchSize() * c.grid()).stream().filter(h -> h.name().equals(component))
                .findFirst().orElseThrow().parameters().get(param).values();
    }

    @Test
    void unknownNamingListsKeysSeenAndSchemesAccepted(@TempDir Path dir) throws IOException {
        Map<String, HostTensor> t = new LinkedHashMap<>();
        t.put("conv1.weight", new HostTensor(new long[] {4, 3, 3, 3}, new float[108]));
        t.put("fc.weight", new HostTensor(new long[] {2, 4}, new float[8]));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> read(CheckpointWriters.safetensors(dir.resolve("resnet.safetensors"), t, "F32")));
        String m = e.getMessage();
        assertTrue(m.contains("resnet.safetensors") && m.contains("conv1.weight") && m.contains("fc.weight"), m);
        assertTrue(m.contains("timm") && m.contains("Hugging Face") && m.contains("vit_jax"), m);
    }

    @Test
    void missingExtraAndMisShapedKeysAreAllListed(@TempDir Path dir) throws IOException {
        TinyVitWeights w = TinyVitWeights.small();
        Map<String, HostTensor> t = w.timm();
        t.remove("blocks.1.attn.proj.bias");
        t.remove("norm.weight");
        t.put("fc_norm.weight", new HostTensor(new long[] {8}, new float[8]));
        t.put("blocks.0.ls1.gamma", new HostTensor(new long[] {8}, new float[8]));
        t.put("blocks.0.mlp.fc2.bias", new HostTensor(new long[] {9}, new float[9]));
        t.put("blocks.1.norm1.weight", new HostTensor(new long[] {1, 8}, new float[8]));
        Path file = CheckpointWriters.safetensors(dir.resolve("bad.safetensors"), t, "F32");
        String m = assertThrows(CheckpointException.class, () -> read(file)).getMessage();
        assertTrue(m.contains("missing keys (2): blocks.1.attn.proj.bias, norm.weight"), m);
        assertTrue(m.contains("unexpected keys munet has no place for (2): blocks.0.ls1.gamma, fc_norm.weight"), m);
        assertTrue(m.contains("mis-shaped keys (2)"), m);
        assertTrue(m.contains("blocks.0.mlp.fc2.bias has shape [9], expected [8]"), m);
        assertTrue(m.contains("blocks.1.norm1.weight has shape [1, 8], expected [8]"), m);
        assertTrue(m.contains("nothing was written"), m);
    }

    @Test
    void vitJaxMisShapedHeadsAndMissingDimensionKeys(@TempDir Path dir) throws IOException {
        TinyVitWeights w = TinyVitWeights.small();
        Map<String, HostTensor> t = w.vitJax("");
        t.put("Transformer/encoderblock_0/MultiHeadDotProductAttention_1/key/kernel",
                new HostTensor(new long[] {8, 4, 2}, new float[64]));
        String m = assertThrows(CheckpointException.class,
                () -> read(CheckpointWriters.npz(dir.resolve("a.npz"), t, false))).getMessage();
        assertTrue(m.contains("MultiHeadDotProductAttention_1/key/kernel has shape [8, 4, 2], expected [8, 2, 4]"), m);

        Map<String, HostTensor> u = w.vitJax("");
        u.remove("embedding/kernel");
        String n = assertThrows(CheckpointException.class,
                () -> read(CheckpointWriters.npz(dir.resolve("b.npz"), u, false))).getMessage();
        assertTrue(n.contains("missing keys (1): embedding/kernel"), n);
    }

    @Test
    void aViTWithoutClassTokenIsRefused(@TempDir Path dir) throws IOException {
        Map<String, HostTensor> t = TinyVitWeights.small().huggingFace();
        t.remove("vit.embeddings.cls_token");
        String m = assertThrows(CheckpointException.class,
                () -> read(CheckpointWriters.safetensors(dir.resolve("gap.safetensors"), t, "F32"))).getMessage();
        assertTrue(m.contains("missing keys (1): embeddings.cls_token"), m);
        assertTrue(m.contains("class token"), m);
    }

    @Test
    void positionEmbeddingWithoutClassRowGetsAZeroRow(@TempDir Path dir) throws IOException {
        TinyVitWeights w = TinyVitWeights.small();
        Map<String, HostTensor> t = w.timm();
        float[] full = w.get("posembed_input", "pos_embedding").values();
        float[] grid = java.util.Arrays.copyOfRange(full, w.width, full.length);
        t.put("pos_embed", new HostTensor(new long[] {1, 9, w.width}, grid));
        VitCheckpoint c = read(CheckpointWriters.safetensors(dir.resolve("nec.safetensors"), t, "F32"));
        float[] got = param(c, "posembed_input", "pos_embedding");
        for (int i = 0; i < w.width; i++) {
            assertEquals(0f, got[i]);
        }
        assertArrayEquals(grid, java.util.Arrays.copyOfRange(got, w.width, got.length));
    }

    @Test
    void filesThatAreNotCheckpointsAreRefused(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.safetensors"), "hello, this is not a checkpoint");
        String m = assertThrows(CheckpointException.class, () -> read(text)).getMessage();
        assertTrue(m.contains("not a readable safetensors checkpoint"), m);
        Path zipless = Files.writeString(dir.resolve("notes.npz"), "hello");
        assertTrue(assertThrows(CheckpointException.class, () -> read(zipless)).getMessage()
                .contains("not an .npz checkpoint"));
        Path other = Files.writeString(dir.resolve("model.bin"), "x");
        assertTrue(assertThrows(CheckpointException.class, () -> read(other)).getMessage().contains("root.format"));
        assertTrue(assertThrows(CheckpointException.class, () -> VitCheckpoint.read(text.toString(), "pth", HADOOP))
                .getMessage().contains("known: safetensors, npz"));
        assertTrue(assertThrows(CheckpointException.class, () -> read(dir.resolve("absent.npz"))).getMessage()
                .contains("does not exist"));
        Map<String, HostTensor> t = TinyVitWeights.small().timm();
        Path f = CheckpointWriters.safetensors(dir.resolve("x.safetensors"), t, "F32");
        byte[] bytes = Files.readAllBytes(f);
        String json = new String(bytes, 8, (int) java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong(0), java.nio.charset.StandardCharsets.UTF_8);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 10)); // truncated
        assertTrue(assertThrows(CheckpointException.class, () -> read(f)).getMessage().contains("truncated"));
        assertTrue(json.contains("\"F32\""));
        Files.write(f, new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replaceFirst("\"F32\"", "\"I32\"").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(CheckpointException.class, () -> read(f)).getMessage().contains("dtype I32"));
    }

    @Test
    void positionEmbeddingIsZoomedCornerAligned() {
        int width = 2;
        // a 2x2 grid: row-major values (y, x) -> 10*y + x, and a second channel of 100 + that
        float[] v = {7, 8, 0, 100, 1, 101, 10, 110, 11, 111};
        HostTensor posemb = new HostTensor(new long[] {1, 5, width}, v);
        HostTensor up = PositionResampler.resample(posemb, 3);
        float[] u = up.values();
        assertEquals(7f, u[0]);
        assertEquals(8f, u[1], "class token row kept");
        // output (y, x) samples input (y/2, x/2): value 10*(y/2) + x/2
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                assertEquals(10 * y / 2.0 + x / 2.0, u[(1 + y * 3 + x) * width], 1e-6, y + "," + x);
                assertEquals(100 + 10 * y / 2.0 + x / 2.0, u[(1 + y * 3 + x) * width + 1], 1e-5);
            }
        }
        float[] one = PositionResampler.resample(posemb, 1).values();
        assertArrayEquals(new float[] {7, 8, 0, 100}, one, "out == 1 samples coordinate 0");
        HostTensor single = new HostTensor(new long[] {1, 2, width}, new float[] {1, 2, 5, 6});
        float[] spread = PositionResampler.resample(single, 2).values();
        assertArrayEquals(new float[] {1, 2, 5, 6, 5, 6, 5, 6, 5, 6}, spread, "in == 1 is copied");
        assertTrue(PositionResampler.resample(posemb, 2) == posemb, "same grid: unchanged");
    }
}
