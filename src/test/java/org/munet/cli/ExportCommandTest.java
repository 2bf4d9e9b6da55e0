package org.munet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.run.RootBuilder;
import org.munet.serve.ExportReader;
import org.munet.serve.StateModels;
import org.munet.serve.TaskModel;
import org.munet.store.StateStore;
import org.munet.store.SystemManifest;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.PathMetrics;
import org.munet.system.Population;
import org.munet.system.Progress;
import org.munet.system.ReferenceDefaults;
import org.munet.system.SystemState;
import org.munet.system.TaskPath;

class ExportCommandTest {

    @TempDir
    Path tmp;

    private Path state;
    private StateStore store;

    /** Version 1: a 2-block root and an mnist path on the same components, trained and tested. */
    @BeforeEach
    void stateWithOneTask() {
        state = tmp.resolve("state");
        store = StateStore.open(state.toString(), new Configuration());
        Map<String, Object> h = ReferenceDefaults.hparams(28, 2);
        h.put(HparamKeys.NUM_CLASSES, 10);
        Hyperparams hparams = Hyperparams.of(h);
        Population population = RootBuilder.create(store, ReferenceDefaults.DIMS, hparams, 2, 3);
        TaskPath root = population.roots().get(0);
        TaskPath mnist = new TaskPath(population.nextPathId(), "mnist", root.id(), root.componentIds(), hparams,
                PathMetrics.none().trained(List.of(0.9), 0.9, true, 0.9, 1, null).tested(0.875, "cd".repeat(32)));
        population = population.withPath(mnist).withSeeds(List.of(root.id()));
        SystemState system = new SystemState(population, Progress.start(), "cfg", 1000, null)
                .withClassNames("mnist", IntStream.range(0, 10).mapToObj(i -> "digit " + i).toList());
        store.writeHistory(1, new byte[0]);
        store.commitManifest(1, SystemManifest.encode(1, system));
    }

    @Test
    void exportsTheBestPathAndSaysWhatItWrote() {
        Path out = tmp.resolve("models").resolve("mnist");
        CliRun run = CliRun.of("export", "--state", state.toString(), "--task", "mnist", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).startsWith("exported task mnist (path 1 of " + store.uri() + ", version 1) to file:"
                + out.toAbsolutePath()), lines.get(0));
        assertTrue(lines.get(1).startsWith("  model.safetensors: 32 tensors, "), lines.get(1));
        assertTrue(lines.get(2).contains("2 layers, adapters at [], 10 classes") && lines.get(2).endsWith("87.50%"),
                lines.get(2));
        try (NDManager manager = NDManager.newBaseManager();
                TaskModel exported = new ExportReader(new Configuration()).read(out.toString(),
                        StateModels.owned(manager));
                TaskModel original = StateModels.load(store, SystemManifest.read(store, 1),
                        SystemManifest.read(store, 1).population().path(1), StateModels.owned(manager))) {
            assertEquals("digit 9", exported.info().classNames().get(9));
            assertEquals(0.875, exported.info().testAccuracy());
            assertEquals(1, exported.info().version());
            for (int i = 0; i < original.path().components().size(); i++) {
                assertTrue(original.path().components().get(i).toHost()
                        .bitwiseEquals(exported.path().components().get(i).toHost()));
            }
        }
    }

    @Test
    void userErrorsExitTwoWithOneLine() throws Exception {
        Path out = tmp.resolve("out");
        CliRun unknown = CliRun.of("export", "--state", state.toString(), "--task", "fashion", "--out", out.toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().startsWith("munet export: unknown task 'fashion' in version 1: the system's tasks"
                + " are [mnist]"), unknown.err());

        CliRun version = CliRun.of("export", "--state", state.toString(), "--task", "mnist", "--out", out.toString(),
                "--version", "4");
        assertEquals(2, version.exitCode());
        assertTrue(version.err().contains("has no version 4"), version.err());

        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        CliRun occupied = CliRun.of("export", "--state", state.toString(), "--task", "mnist", "--out", out.toString());
        assertEquals(2, occupied.exitCode());
        assertTrue(occupied.err().contains("already exists and is not empty (notes.txt)"), occupied.err());
        assertEquals(List.of("notes.txt"), Files.list(out).map(p -> p.getFileName().toString()).toList());
    }
}
