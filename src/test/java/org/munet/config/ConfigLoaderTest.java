package org.munet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.munet.evolution.EngineSettings;
import org.munet.evolution.TaskSpec;
import org.munet.system.HparamKeys;

class ConfigLoaderTest {

    private static TaskSpec info(String name) {
        return new TaskSpec(name, name.contains("labels:0-4") ? 5 : 10, 57000);
    }

    private static Experiment resolve(String yaml, String baseline) {
        ConfigLoader.Loaded l = ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yaml");
        return Experiment.resolve(l.config(), baseline, ConfigLoaderTest::info);
    }

    @Test
    void shippedConfigsLoad() {
        for (String name : List.of("quickstart.yaml", "reference.yaml")) {
            ConfigLoader.Loaded l = ConfigLoader.load(Path.of("deploy/configs", name));
            Experiment e = Experiment.resolve(l.config(), null, ConfigLoaderTest::info);
            assertTrue(e.settings().tasks().size() >= 2, name);
        }
        Experiment quick = Experiment.resolve(ConfigLoader.load(Path.of("deploy/configs/quickstart.yaml")).config(),
                null, ConfigLoaderTest::info);
        assertTrue(quick.settings().tasks().size() >= 4);
        assertEquals(3, quick.settings().generationsPerTask());
        // The nightly config has no tasks: they come from the catalog.
        Experiment nightly = Experiment.resolve(ConfigLoader.load(Path.of("deploy/configs/nightly.yaml")).config(),
                null, null);
        assertEquals(List.of(), nightly.settings().tasks());
        org.munet.run.TaskCatalog catalog = org.munet.run.TaskCatalog.load("deploy/configs/catalog.example.yaml",
                org.munet.store.HadoopConf.forThisJvm());
        assertTrue(catalog.tasks().size() >= 3, catalog.toString());
    }

    @Test
    void unknownKeysAreErrorsNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve("tasks: [mnist]\ntraining:\n  batch_sise: 64\n", null));
        assertTrue(e.getMessage().contains("unknown key 'batch_sise'"), e.getMessage());
        assertTrue(e.getMessage().contains("batch_size"), "lists the known keys: " + e.getMessage());
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class,
                () -> resolve("tasks: [mnist]\nhparams:\n  opt_lrr: 0.1\n", null));
        assertTrue(h.getMessage().contains("unknown hyperparameter 'opt_lrr'"), h.getMessage());
    }

    @Test
    void wrongTypesAndMissingTasksAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> resolve("tasks: [mnist]\nseed: abc\n", null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve("seed: 1\n", null));
        assertTrue(e.getMessage().contains("no tasks"), e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> resolve("tasks: [mnist]\nhparams:\n  opt_lr: 0.03\n", null));
        assertTrue(d.getMessage().contains("not in its search range"), d.getMessage());
    }

    @Test
    void valuesTheWorkersCannotUseAreRefusedAtLoadNamingTheKey() {
        IllegalArgumentException schedule = assertThrows(IllegalArgumentException.class,
                () -> resolve("tasks: [mnist]\nhparams:\n  opt_lr_schedule: linear\n", null));
        assertEquals("hparams.opt_lr_schedule must be one of constant, cosine, restarts, got 'linear'",
                schedule.getMessage());
        IllegalArgumentException area = assertThrows(IllegalArgumentException.class,
                () -> resolve("tasks: [mnist]\nevolution:\n  auto_tune: none\nhparams:\n  ds_area_range_min: 0\n",
                        null));
        assertEquals("hparams.ds_area_range_min must be in (0, 1], got 0.0", area.getMessage());
        IllegalArgumentException patches = assertThrows(IllegalArgumentException.class,
                () -> resolve("tasks: [mnist]\nmodel:\n  image_size: 30\n", null));
        assertEquals("model.image_size (30) must be a multiple of model.patch_size (7)", patches.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> resolve("tasks: [mnist]\ntraining:\n  batch_size: 0\n", null));
        assertEquals("test.yaml: training.batch_size must be at least 1, got 0", batch.getMessage());
        IllegalArgumentException adapters = assertThrows(IllegalArgumentException.class,
                () -> resolve("tasks: [mnist]\n", "adapters:0"));
        assertEquals("hparams.adapter_dim must be at least 1, got 0", adapters.getMessage());
    }

    @Test
    void baselinesMatchTheEvolutionaryBudget() {
        String yaml = "tasks: [mnist, fashion_mnist]\nevolution:\n  candidates_per_generation: 2\n"
                + "  samples_per_task: 6\n  task_iterations: 2\ntraining:\n  validations: 3\n";
        EngineSettings evo = resolve(yaml, null).settings();
        assertEquals(3, evo.generationsPerTask());
        Experiment ft = resolve(yaml, "finetune_all");
        // V x task_iterations x generations = 3 x 2 x 3 = 18; one iteration of one generation of D
        assertEquals(18, ft.settings().validations());
        assertEquals(1, ft.settings().taskIterations());
        assertEquals(1, ft.settings().generationsPerTask());
        assertEquals(2, ft.settings().candidatesPerGeneration());
        assertTrue(ft.settings().policy().baseline());
        assertEquals(1.0, ft.defaults().getDouble(HparamKeys.MU));
        assertTrue(ft.settings().policy().searchSpace().ranges().isEmpty());
        // same compute per worker slot: V x Nb x generations x iterations
        assertEquals(evo.validations() * evo.generationsPerTask() * evo.taskIterations(),
                ft.settings().validations() * ft.settings().generationsPerTask() * ft.settings().taskIterations());

        Experiment frozen = resolve(yaml, "freeze_bottom:1");
        assertEquals(0.0, frozen.defaults().getDouble(HparamKeys.MU));
        assertEquals(java.util.Set.of("encoder_norm", "encoderblock_1", "encoderblock_2"),
                frozen.settings().policy().forceFinetune());

        Experiment adapters = resolve(yaml, "adapters:8");
        assertEquals("0_1_2", adapters.defaults().getString(HparamKeys.ADAPTER_LAYERS));
        assertEquals(8, adapters.defaults().getInt(HparamKeys.ADAPTER_DIM));

        Experiment scaled = resolve(yaml, "size_scale:90");
        assertEquals(0.9, scaled.settings().scoreBase(), 1e-12);
        assertFalse(scaled.settings().policy().baseline());
        assertEquals(List.of(1, 2, 3), scaled.settings().policy().searchSpace().ranges().get(HparamKeys.NUM_LAYERS));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(yaml, "lora:4"));
        assertTrue(e.getMessage().contains("unknown baseline 'lora:4'"), e.getMessage());
    }

    @Test
    void theStateSectionIsLeftOutOfTheIdentityWhereverItIsWritten() {
        String base = "seed: 1\n# the tasks\ntasks:\n  - mnist\n";
        String sha = sha(base);
        assertEquals(ConfigLoader.sha256(base.getBytes(StandardCharsets.UTF_8)), sha, "no section: the bytes' checksum");
        for (String withState : List.of(
                base + "\nstate:\n  keep_last_versions: 3\n",               // appended after a blank line
                base + "state: {keep_all: true}\n",                            // flow style at the end
                "state:\n  keep_last_versions: 5\n\n" + base,                 // first
                "seed: 1\n\nstate:\n  keep_last_versions: 5\n  # why\n  keep_all: false\n# the tasks\ntasks:\n  - mnist\n")) {
            assertEquals(sha, sha(withState), withState);
        }
        assertFalse(sha(base).equals(sha(base.replace("seed: 1", "seed: 2"))), "everything else counts");
        ConfigLoader.Loaded l = ConfigLoader.parse((base + "state:\n  keep_last_versions: 4\n  keep_all: true\n")
                .getBytes(StandardCharsets.UTF_8), "t.yaml");
        assertEquals(4, l.config().state().keepLastVersions());
        assertTrue(l.config().state().keepAll());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.parse(
                (base + "state:\n  keep_last_versions: 0\n").getBytes(StandardCharsets.UTF_8), "t.yaml"));
        assertTrue(bad.getMessage().contains("state.keep_last_versions must be at least 1"), bad.getMessage());
    }

    private static String sha(String yaml) {
        return ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "t.yaml").sha256();
    }
}
