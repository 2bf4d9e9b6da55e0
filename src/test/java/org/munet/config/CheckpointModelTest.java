package org.munet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.munet.system.CheckpointDims;
import org.munet.system.ModelDims;

/** A pretrained root's dimensions against a config's explicit model keys, and the root section's own checks. */
class CheckpointModelTest {

    private static final CheckpointDims TIMM_TI = new CheckpointDims("vit_ti.safetensors", 16, 3, 192, 768, null, 12);
    private static final CheckpointDims JAX_TI = new CheckpointDims("ti.npz", 16, 3, 192, 768, 3, 12);

    private static Experiment resolve(String yaml, CheckpointDims root) {
        EvolutionConfig c = ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml").config();
        return Experiment.resolve(c, null, null, root);
    }

    private static String error(String yaml, CheckpointDims root) {
        return assertThrows(IllegalArgumentException.class, () -> resolve(yaml, root)).getMessage();
    }

    @Test
    void checkpointDimsBecomeTheSystems() {
        Experiment e = resolve("model:\n  image_size: 224\n", JAX_TI);
        assertEquals(new ModelDims(16, 3, 192, 768, 3), e.settings().policy().dims());
        assertEquals(12, e.rootLayers(), "the root holds every pretrained block");
        assertEquals(3, e.defaults().getInt("num_layers"), "the default depth stays the reference's");
        Experiment t = resolve("model:\n  image_size: 32\n  num_heads: 3\n  num_layers: 5\n", TIMM_TI);
        assertEquals(3, t.settings().policy().dims().numHeads());
        assertEquals(5, t.defaults().getInt("num_layers"));
        Experiment same = resolve("model:\n  image_size: 224\n  patch_size: 16\n  channels: 3\n  hidden_size: 192\n"
                + "  mlp_dim: 768\n  num_heads: 3\n", JAX_TI);
        assertEquals(e.settings().policy().dims(), same.settings().policy().dims(), "agreeing keys are fine");
    }

    @Test
    void conflictsNameBothValues() {
        String patch = error("model:\n  image_size: 224\n  patch_size: 14\n", JAX_TI);
        assertTrue(patch.contains("model.patch_size is 14") && patch.contains("ti.npz has patch size 16"), patch);
        String width = error("model:\n  image_size: 224\n  hidden_size: 384\n", JAX_TI);
        assertTrue(width.contains("model.hidden_size is 384") && width.contains("width 192"), width);
        String heads = error("model:\n  image_size: 224\n  num_heads: 6\n", JAX_TI);
        assertTrue(heads.contains("model.num_heads is 6") && heads.contains("3 attention heads"), heads);
        String mlp = error("model:\n  image_size: 224\n  mlp_dim: 1536\n", JAX_TI);
        assertTrue(mlp.contains("model.mlp_dim is 1536") && mlp.contains("MLP width 768"), mlp);
    }

    @Test
    void rgbCheckpointWithGrayscaleConfigSaysWhatToSet() {
        String m = error("model:\n  image_size: 224\n  channels: 1\n", JAX_TI);
        assertTrue(m.contains("set model.channels: 3") && m.contains("tiled"), m);
    }

    @Test
    void headsAreRequiredWhenTheCheckpointDoesNotRecordThem() {
        String m = error("model:\n  image_size: 224\n", TIMM_TI);
        assertTrue(m.contains("set model.num_heads") && m.contains("vit_ti.safetensors"), m);
        String bad = error("model:\n  image_size: 224\n  num_heads: 5\n", TIMM_TI);
        assertTrue(bad.contains("vit_ti.safetensors") && bad.contains("multiple of model.num_heads (5)"), bad);
    }

    @Test
    void depthBeyondTheCheckpointsBlocksIsRefused() {
        String m = error("model:\n  image_size: 224\n  num_layers: 13\n", JAX_TI);
        assertTrue(m.contains("holds 12 encoder blocks") && m.contains("13"), m);
        String range = error("model:\n  image_size: 224\nevolution:\n  num_layers_range: [1, 14]\n", JAX_TI);
        assertTrue(range.contains("14"), range);
        Experiment shallow = resolve("model:\n  image_size: 28\n  patch_size: 7\n  num_heads: 2\n",
                new CheckpointDims("tiny", 7, 3, 16, 32, null, 2));
        assertEquals(2, shallow.defaults().getInt("num_layers"), "default depth capped at the checkpoint's blocks");
    }

    @Test
    void rootSectionIsChecked() {
        EvolutionConfig c = ConfigLoader.parse("root:\n  path: hdfs://nn:8020/m/vit.npz\n".getBytes(StandardCharsets.UTF_8),
                "t.yaml").config();
        assertEquals("hdfs://nn:8020/m/vit.npz", c.root().path());
        String unknown = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse(
                "root:\n  path: a.npz\n  fromat: npz\n".getBytes(StandardCharsets.UTF_8), "t.yaml")).getMessage();
        assertTrue(unknown.contains("unknown key 'fromat'"), unknown);
        String format = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse(
                "root:\n  path: a.bin\n  format: pth\n".getBytes(StandardCharsets.UTF_8), "t.yaml")).getMessage();
        assertTrue(format.contains("root.format must be safetensors or npz"), format);
        String path = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse(
                "root:\n  format: npz\n".getBytes(StandardCharsets.UTF_8), "t.yaml")).getMessage();
        assertTrue(path.contains("root.path is required"), path);
    }
}
