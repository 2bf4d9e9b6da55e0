package org.munet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.nn.ComponentBlock;
import org.munet.nn.HostTensor;
import org.munet.nn.Safetensors;
import org.munet.nn.VitConfig;

class ExportRoundTripTest {

    private static final Configuration CONF = new Configuration();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private NDManager manager;
    private TaskModel model;

    @BeforeEach
    void randomModel() {
        manager = NDManager.newBaseManager();
        model = RandomTaskModels.create(manager, RandomTaskModels.threeChannels(), List.of(1), 8, 10, 11);
    }

    @AfterEach
    void close() {
        model.close();
        manager.close();
    }

    private Path export() {
        Path dir = tmp.resolve("export");
        new ExportWriter(CONF).write(model, dir.toString());
        return dir;
    }

    private TaskModel read(Path dir) {
        return new ExportReader(CONF).read(dir.toString(), StateModels.owned(manager));
    }

    @Test
    void roundTripGivesBitwiseEqualLogits() throws IOException {
        Path dir = export();
        assertEquals(Set.of("config.json", "model.safetensors"), names(dir),
                "the two files and nothing else (no checksum side files, no temporary files)");
        try (TaskModel back = read(dir)) {
            TaskModelInfo a = model.info();
            TaskModelInfo b = back.info();
            assertEquals(List.of(a.task(), a.version(), a.pathId(), a.vit(), a.adapterLayers(), a.adapterDim(),
                    a.classNames(), a.testAccuracy(), a.testPredictionsSha256()),
                    List.of(b.task(), b.version(), b.pathId(), b.vit(), b.adapterLayers(), b.adapterDim(),
                            b.classNames(), b.testAccuracy(), b.testPredictionsSha256()));
            assertEquals("file:" + dir.toAbsolutePath(), b.source(), "the model says where it was read from");
            assertEquals(model.path().componentNames(), back.path().componentNames());
            for (int i = 0; i < model.path().components().size(); i++) {
                ComponentBlock original = model.path().components().get(i);
                ComponentBlock reread = back.path().components().get(i);
                assertTrue(original.toHost().bitwiseEquals(reread.toHost()), original.componentName());
                assertFalse(reread.isTrainable(), "read back frozen");
            }
            VitConfig vit = a.vit();
            try (NDManager inputs = manager.newSubManager()) {
                NDArray images = inputs.randomUniform(-1, 1, new Shape(6, vit.channels(), vit.imageSize(),
                        vit.imageSize()));
                float[] expected = RandomTaskModels.logits(model, images);
                float[] actual = RandomTaskModels.logits(back, images);
                assertEquals(60, expected.length);
                assertNotEquals(0f, expected[0], "random weights give non-trivial logits");
                assertArrayEquals(bits(expected), bits(actual), "logits bitwise equal");
            }
        }
    }

    @Test
    void weightsUseTimmKeyNamesAndAdapterKeys() throws IOException {
        Path dir = export();
        Map<String, HostTensor> tensors = weights(dir);
        assertEquals(4 + 2 * 12 + 6 + 2 + 2, tensors.size(), "embedding, cls, pos, 2 blocks, adapter, norm, head");
        for (String key : List.of("patch_embed.proj.weight", "patch_embed.proj.bias", "cls_token", "pos_embed",
                "blocks.0.norm1.weight", "blocks.1.attn.qkv.weight", "blocks.1.attn.proj.bias",
                "blocks.0.norm2.bias", "blocks.0.mlp.fc1.weight", "blocks.1.mlp.fc2.bias",
                "adapters.1.norm.weight", "adapters.1.down.weight", "adapters.1.up.bias",
                "norm.weight", "norm.bias", "head.weight", "head.bias")) {
            assertTrue(tensors.containsKey(key), key + " in " + tensors.keySet());
        }
        assertArrayEquals(new long[] {32, 3, 7, 7}, tensors.get("patch_embed.proj.weight").shape());
        assertArrayEquals(new long[] {1, 17, 32}, tensors.get("pos_embed").shape());
        assertArrayEquals(new long[] {96, 32}, tensors.get("blocks.0.attn.qkv.weight").shape());
        assertArrayEquals(new long[] {8, 32}, tensors.get("adapters.1.down.weight").shape());
        assertEquals(model.path().component("encoderblock_1").toHost().parameters().get("attention.out.weight"),
                tensors.get("blocks.1.attn.proj.weight"));
        ObjectNode config = config(dir);
        assertEquals("munet-vit-export", config.get("format").asText());
        assertEquals(1, config.get("format_version").asInt());
        assertEquals("[1]", config.get("adapter_layers").toString());
        assertEquals(1e-6, config.get("layer_norm_eps").asDouble());
        assertEquals(10, config.get("class_names").size());
        assertEquals("x / 127.5 - 1 (float32)", config.get("preprocessing").get("scale").asText());
        assertEquals(0.9123, config.get("test_accuracy").asDouble());
    }

    @Test
    void configWithMoreLayersThanTheWeightsListsEveryMissingKey() throws IOException {
        Path dir = export();
        ObjectNode config = config(dir);
        config.put("num_layers", 3);
        writeConfig(dir, config);
        String message = assertThrows(IllegalArgumentException.class, () -> read(dir)).getMessage();
        assertTrue(message.contains("model.safetensors does not match config.json (3 layers"), message);
        assertTrue(message.contains("12 missing [blocks.2.attn.proj.bias, blocks.2.attn.proj.weight,"), message);
        assertTrue(message.contains("blocks.2.norm2.weight]; 0 extra; 0 mis-shaped"), message);
    }

    @Test
    void extraAndMisshapedTensorsAreNamed() throws IOException {
        Path dir = export();
        Map<String, HostTensor> tensors = new LinkedHashMap<>(weights(dir));
        tensors.put("blocks.0.ls1.gamma", new HostTensor(new long[] {32}, new float[32]));
        tensors.put("head.bias", new HostTensor(new long[] {11}, new float[11]));
        tensors.remove("adapters.1.up.weight");
        Files.write(dir.resolve("model.safetensors"), Safetensors.encode(tensors, Map.of()));
        String message = assertThrows(IllegalArgumentException.class, () -> read(dir)).getMessage();
        assertTrue(message.contains("1 missing [adapters.1.up.weight]; 1 extra [blocks.0.ls1.gamma];"
                + " 1 mis-shaped [head.bias (expected [10], got [11])]"), message);
    }

    @Test
    void changedWeightsFailTheChecksum() throws IOException {
        Path dir = export();
        Map<String, HostTensor> tensors = new LinkedHashMap<>(weights(dir));
        tensors.put("head.bias", new HostTensor(new long[] {10}, new float[10]));
        Files.write(dir.resolve("model.safetensors"), Safetensors.encode(tensors, Map.of()));
        String message = assertThrows(IllegalArgumentException.class, () -> read(dir)).getMessage();
        assertTrue(message.contains("weights_sha256 says"), message);
    }

    @Test
    void missingOrBrokenConfigIsNamed() throws IOException {
        Path dir = export();
        byte[] good = Files.readAllBytes(dir.resolve("config.json"));
        Files.delete(dir.resolve("config.json"));
        String message = assertThrows(IllegalArgumentException.class, () -> read(dir)).getMessage();
        assertTrue(message.endsWith("has no config.json: not a munet export, or one that did not finish"
                + " (config.json is written last); export again"), message);

        Files.writeString(dir.resolve("config.json"), "{\"format\": \"munet-vit-export\", ");
        message = assertThrows(IllegalArgumentException.class, () -> read(dir)).getMessage();
        assertTrue(message.contains("config.json is not valid JSON"), message);

        ObjectNode config = (ObjectNode) JSON.readTree(good);
        config.put("format", "hf-vit");
        writeConfig(dir, config);
        message = assertThrows(IllegalArgumentException.class, () -> read(dir)).getMessage();
        assertTrue(message.contains("is not a munet export config: its format is 'hf-vit'"), message);

        config = (ObjectNode) JSON.readTree(good);
        config.remove("hidden_size");
        writeConfig(dir, config);
        message = assertThrows(IllegalArgumentException.class, () -> read(dir)).getMessage();
        assertTrue(message.contains("lacks the field 'hidden_size'"), message);
    }

    @Test
    void classNamesMustMatchTheClassCount() throws IOException {
        Path dir = export();
        ObjectNode config = config(dir);
        config.withArray("class_names").remove(9);
        writeConfig(dir, config);
        String message = assertThrows(IllegalArgumentException.class, () -> read(dir)).getMessage();
        assertTrue(message.contains("num_classes is 10 but class_names holds 9 names"), message);
    }

    @Test
    void missingWeightsAreNamed() throws IOException {
        Path dir = export();
        Files.delete(dir.resolve("model.safetensors"));
        String message = assertThrows(IllegalArgumentException.class, () -> read(dir)).getMessage();
        assertTrue(message.contains("has a config.json but no model.safetensors"), message);
    }

    @Test
    void anExistingExportIsNeverOverwritten() throws IOException {
        Path dir = export();
        byte[] weights = Files.readAllBytes(dir.resolve("model.safetensors"));
        try (TaskModel other = RandomTaskModels.create(manager, RandomTaskModels.threeChannels(), List.of(), 8, 10, 12)) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> new ExportWriter(CONF).write(other, dir.toString())).getMessage();
            assertTrue(message.contains("already exists and is not empty (")
                    && message.contains("an export never overwrites"), message);
        }
        assertArrayEquals(weights, Files.readAllBytes(dir.resolve("model.safetensors")));

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String message = assertThrows(IllegalArgumentException.class,
                () -> new ExportWriter(CONF).write(model, file.toString())).getMessage();
        assertTrue(message.endsWith("a-file is a file: give a new directory to export to"), message);

        Path empty = Files.createDirectory(tmp.resolve("empty"));
        new ExportWriter(CONF).write(model, empty.toString());
        assertEquals(Set.of("config.json", "model.safetensors"), names(empty), "an empty directory is fine");
    }

    @Test
    void aFailedExportLeavesNothingThatLooksValid() throws IOException {
        Path dir = tmp.resolve("failed");
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> new ExportWriter(FailingFileSystem.conf()).write(model, "failfs://" + dir));
        assertTrue(e.getMessage().startsWith("export to failfs:" + dir + " failed, nothing was left behind:"
                + " No space left on device (simulated)"), e.getMessage());
        assertFalse(Files.exists(dir), "the directory the export created is gone");

        Path given = Files.createDirectory(tmp.resolve("given"));
        assertThrows(java.io.UncheckedIOException.class,
                () -> new ExportWriter(FailingFileSystem.conf()).write(model, "failfs://" + given));
        assertEquals(Set.of(), names(given), "a directory the user made is kept, empty");
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Map<String, HostTensor> weights(Path dir) throws IOException {
        return Safetensors.decode(Files.readAllBytes(dir.resolve("model.safetensors")), "test", "weights")
                .tensors();
    }

    private static ObjectNode config(Path dir) throws IOException {
        return (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    }

    private static void writeConfig(Path dir, ObjectNode config) throws IOException {
        Files.write(dir.resolve("config.json"), JSON.writeValueAsBytes(config));
    }
}
