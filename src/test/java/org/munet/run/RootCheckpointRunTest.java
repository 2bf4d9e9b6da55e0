package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.evolution.ProgressListener;
import org.munet.evolution.RunBudget;
import org.munet.nn.ComponentCodec;
import org.munet.nn.HostComponent;
import org.munet.nn.HostTensor;
import org.munet.nn.checkpoint.CheckpointWriters;
import org.munet.nn.checkpoint.TinyVitWeights;
import org.munet.store.StateStore;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.TaskPath;
import org.munet.worker.LocalCandidateRunner;

/**
 * A real tiny evolution started from a pretrained checkpoint (timm safetensors): the root path holds
 * the checkpoint's values bitwise, the system takes the checkpoint's dimensions, a resume needs no
 * checkpoint file, and a state refuses to continue with another root.
 */
class RootCheckpointRunTest {

    private static final Configuration HADOOP = new Configuration();
    /** Width 16, 2 heads, MLP 32, patch 7, RGB, 2 blocks, a 4x4 grid (28-pixel images). */
    private static final int WIDTH = 16;

    private static Path config(Path dir, String name, Path root) throws Exception {
        Path file = TinyRuns.config(dir, name, List.of("mnist"), 4, 1);
        // No model.channels: the checkpoint's 3 channels become the system's (MNIST is tiled to RGB).
        String extra = "model:\n  num_heads: 2\n" + (root == null ? "" : "root:\n  path: " + root + "\n");
        Files.writeString(file, Files.readString(file) + extra);
        return file;
    }

    private static EvolveRun.Outcome run(Path config, String state, String rootOverride, int generations) {
        EvolveRun.Prepared input = EvolveRun.prepare(config, null,
                new EvolveRun.Options(null, new RunBudget(null, generations), rootOverride), HADOOP);
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2, HADOOP)) {
            return EvolveRun.run(input, state, null, runner, ProgressListener.NONE);
        }
    }

    @Test
    void evolvesFromACheckpointRootAndResumesWithoutIt(@TempDir Path dir) throws Exception {
        TinyVitWeights weights = new TinyVitWeights(WIDTH, 2, 32, 7, 3, 2, 4, 5);
        Path checkpoint = CheckpointWriters.safetensors(dir.resolve("vit.safetensors"), weights.timm(), "F32");
        Path config = config(dir, "root.yaml", checkpoint);
        String state = dir.resolve("state").toString();

        EvolveRun.Outcome first = run(config, state, null, 1);
        assertEquals(1, first.summary().generations(), "one generation ran");
        Population population = first.population();
        TaskPath root = population.roots().get(0);
        StateStore store = StateStore.open(state, HADOOP);
        List<Component> components = population.componentsOf(root);
        assertEquals(List.of("embedding", "cls", "posembed_input", "encoderblock_0", "encoderblock_1", "encoder_norm",
                "head"), components.stream().map(Component::name).toList(), "the root holds every checkpoint block");
        assertEquals("[16,3,7,7]", components.get(0).shape(), "the checkpoint's dims are the system's");
        for (Component c : components) {
            HostComponent stored = ComponentCodec.decode(store.readComponent(c.id(), c.sha256()), c.name());
            Map<String, HostTensor> expected = weights.munet.get(c.name());
            if (c.name().equals("head")) {
                for (float v : stored.parameters().get("weight").values()) {
                    assertEquals(0f, v, "a new zero-initialised head, not the checkpoint's");
                }
                continue;
            }
            assertEquals(expected.keySet(), stored.parameters().keySet(), c.name());
            for (String p : expected.keySet()) {
                assertTrue(expected.get(p).bitwiseEquals(stored.parameters().get(p)), c.name() + "." + p);
            }
        }
        String identity = first.state().identity();
        assertTrue(identity.endsWith(RootPlan.IDENTITY_SEPARATOR + org.munet.nn.checkpoint.CheckpointFile
                .sha256Of(checkpoint.toString(), HADOOP)), identity);

        // Another root on this state is refused, before anything runs.
        TinyVitWeights other = new TinyVitWeights(WIDTH, 2, 32, 7, 3, 2, 4, 6);
        Path otherFile = CheckpointWriters.safetensors(dir.resolve("other.safetensors"), other.timm(), "F32");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> run(config, state, otherFile.toString(), 1));
        assertTrue(refused.getMessage().contains("SHA-256") && refused.getMessage().contains("other.safetensors"),
                refused.getMessage());

        // The checkpoint is gone: a continued state needs only itself.
        Files.move(checkpoint, dir.resolve("moved.safetensors"));
        EvolveRun.Outcome resumed = run(config, state, null, 5);
        assertTrue(resumed.summary().generations() >= 1, "the resumed run trained");
        assertEquals(1, resumed.summary().completedVisits(), "the task's iteration finished");
        assertEquals(identity, resumed.state().identity());
        assertEquals(root.componentIds(), resumed.population().roots().get(0).componentIds(), "root unchanged");

        // A new state cannot be created without its checkpoint; nothing is written.
        String fresh = dir.resolve("fresh").toString();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> run(config, fresh, null, 1));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertTrue(StateStore.open(fresh, HADOOP).latestVersion().isEmpty());
    }

    @Test
    void rootOptionStartsANewStateFromACheckpoint(@TempDir Path dir) throws Exception {
        TinyVitWeights weights = new TinyVitWeights(WIDTH, 2, 32, 7, 3, 2, 4, 7);
        Path checkpoint = CheckpointWriters.safetensors(dir.resolve("cli.safetensors"), weights.timm(), "F32");
        Path config = config(dir, "plain.yaml", null);
        // The config's model.num_heads must agree with the data; a wrong one is named with the checkpoint.
        EvolveRun.Prepared input = EvolveRun.prepare(config, null,
                new EvolveRun.Options(null, RunBudget.unlimited(), checkpoint.toString()), HADOOP);
        assertEquals(WIDTH, input.experiment().settings().policy().dims().hiddenSize());
        assertEquals(3, input.experiment().settings().policy().dims().channels());
        assertEquals(2, input.experiment().rootLayers());
        String state = dir.resolve("state").toString();
        EvolveRun.Outcome outcome = run(config, state, checkpoint.toString(), 1);
        assertEquals(1, outcome.summary().generations());
        Component embedding = outcome.population().componentsOf(outcome.population().roots().get(0)).get(0);
        HostComponent stored = ComponentCodec.decode(StateStore.open(state, HADOOP)
                .readComponent(embedding.id(), embedding.sha256()), "embedding");
        assertTrue(weights.munet.get("embedding").get("kernel").bitwiseEquals(stored.parameters().get("kernel")));
        Path wrong = TinyRuns.config(dir, "wrong.yaml", List.of("mnist"), 4, 1);
        Files.writeString(wrong, Files.readString(wrong) + "model:\n  num_heads: 2\n  patch_size: 4\n  channels: 1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvolveRun.prepare(wrong, null,
                new EvolveRun.Options(null, RunBudget.unlimited(), checkpoint.toString()), HADOOP));
        assertTrue(e.getMessage().contains("model.patch_size is 4") && e.getMessage().contains("patch size 7"),
                e.getMessage());
    }
}
