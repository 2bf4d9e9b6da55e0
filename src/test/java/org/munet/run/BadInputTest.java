package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.data.TestFiles;
import org.munet.evolution.ProgressListener;
import org.munet.evolution.RunBudget;
import org.munet.evolution.RunSummary;
import org.munet.evolution.VisitSchedule;
import org.munet.worker.LocalCandidateRunner;

/**
 * Every kind of bad input gets a message that names the problem and the fix, and leaves the
 * committed state byte-identical. One small system (task A, visited once) serves every case; the
 * bad datasets live in a data directory beside the real ones.
 */
class BadInputTest {

    private static final String A = "mnist/labels:0-4";

    @TempDir
    static Path dir;

    private static Path data;
    private static Path config;
    private static String state;

    @BeforeAll
    static void smallSystem() throws Exception {
        data = dir.resolve("data");
        Files.createDirectories(data);
        Path real = Path.of(TinyRuns.dataDir()).toAbsolutePath();
        Files.createSymbolicLink(data.resolve("mnist"), real.resolve("mnist").toRealPath());
        Files.createSymbolicLink(data.resolve("fashion-mnist"), real.resolve("fashion-mnist").toRealPath());
        config = withDataDir(TinyRuns.config(dir, "config.yaml", List.of(), 2, 1));
        state = dir.resolve("state").toString();
        RunSummary first = evolve(catalog("first.yaml", List.of(A)));
        assertEquals(List.of(A), first.introduced());

        userDataset("partial", 64, 3, l -> { }, false);
        Files.delete(data.resolve("partial/t10k-images-idx3-ubyte"));
        userDataset("truncated", 64, 3, l -> { }, false);
        Path images = data.resolve("truncated/train-images-idx3-ubyte");
        byte[] full = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(full, full.length - 100));
        userDataset("badlabels", 64, 3, l -> l[17] = 5, true);
        userDataset("empty", 0, 3, l -> { }, false);
        userDataset("oneclass", 64, 1, l -> { }, false);
        imageFolder("truncatedpng", (split, dir) -> {
            if (split.equals("train")) {
                Path png = dir.resolve("b/00003.png");
                byte[] whole = Files.readAllBytes(png);
                Files.write(png, java.util.Arrays.copyOf(whole, whole.length / 2));
            }
        });
        imageFolder("disagreeing", (split, dir) -> {
            if (split.equals("test")) {
                Files.move(dir.resolve("b"), dir.resolve("c"));
            }
        });
    }

    /** A folder dataset: 40 train and 10 test 28x28 gray PNGs of classes a and b, then edited. */
    private static void imageFolder(String name, FolderEdit edit) throws IOException {
        java.util.Random rng = new java.util.Random(7);
        for (String split : List.of("train", "test")) {
            Path splitDir = data.resolve(name).resolve(split);
            for (int i = 0; i < (split.equals("train") ? 40 : 10); i++) {
                Path file = Files.createDirectories(splitDir.resolve(i % 2 == 0 ? "a" : "b"))
                        .resolve(String.format("%05d.png", i));
                java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(28, 28,
                        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                rng.nextBytes(((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData());
                javax.imageio.ImageIO.write(image, "png", file.toFile());
            }
            edit.apply(split, splitDir);
        }
    }

    private interface FolderEdit {
        void apply(String split, Path splitDir) throws IOException;
    }

    @Test
    void missingDataIsSkippedWithItsFix() throws Exception {
        assertSkipped("partial", "missing t10k-images-idx3-ubyte");
        assertSkipped("nosuchdataset", "unknown task 'nosuchdataset'");
    }

    @Test
    void truncatedDataIsSkipped() throws Exception {
        assertSkipped("truncated", "truncated");
    }

    @Test
    void labelsOutsideTheDeclaredClassesAreSkipped() throws Exception {
        assertSkipped("badlabels", "label 5 at index");
        assertSkipped("badlabels", "outside the task's 3 classes");
    }

    @Test
    void badImageFoldersAreSkippedNamingTheFile() throws Exception {
        assertSkipped("truncatedpng", "truncatedpng/train/b/00003.png");
        assertSkipped("truncatedpng", "corrupt or truncated");
        assertSkipped("disagreeing", "test/ lacks [b] that train/ has and test/ has [c] that train/ lacks");
    }

    @Test
    void emptyAndOneClassTasksAreSkipped() throws Exception {
        assertSkipped("empty", "IDX dimension 0 is 0");
        assertSkipped("oneclass", "a classifier needs at least two");
    }

    /** A nightly scheduler must see a night in which no task could be read: it fails, naming each reason. */
    @Test
    void aRunWithNoReadableTaskFailsAndWritesNothing() throws Exception {
        Path fresh = dir.resolve("never-created");
        Path bad = catalog("all-bad.yaml", List.of("partial", "nosuchdataset"));
        org.munet.data.DatasetException e = assertThrows(org.munet.data.DatasetException.class, () -> {
            try (LocalCandidateRunner runner = new LocalCandidateRunner(1)) {
                EvolveRun.run(config, fresh.toString(), null, null, runner, ProgressListener.NONE,
                        new EvolveRun.Options(bad.toString(), new RunBudget(null, 4)));
            }
        });
        assertTrue(e.getMessage().startsWith("no listed task could be read"), e.getMessage());
        assertTrue(e.getMessage().contains("partial: ") && e.getMessage().contains("missing t10k-images-idx3-ubyte"),
                e.getMessage());
        assertTrue(e.getMessage().contains("nosuchdataset: unknown task"), e.getMessage());
        assertTrue(!Files.exists(fresh) || TinyRuns.snapshot(fresh).isEmpty(), "no state is written");

        // An existing system: nothing is committed and the summary says why, for the exit status.
        Map<String, String> before = TinyRuns.snapshot(Path.of(state));
        RunSummary run = evolve(catalog("only-bad.yaml", List.of("partial")));
        assertTrue(run.allSkipped(), run.toString());
        assertEquals(before, TinyRuns.snapshot(Path.of(state)));
    }

    @Test
    void anUnreachableDataUriSkipsTheTaskNamingTheUri() throws Exception {
        Path far = dir.resolve("far.yaml");
        Files.writeString(far, "tasks:\n  - " + A + "\n  - name: remote\n    path: hdfs://127.0.0.1:1/data/remote\n"
                + "max_visits_per_task: 1\n");
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        hadoop.setInt("ipc.client.connect.max.retries", 0);
        Map<String, String> before = TinyRuns.snapshot(Path.of(state));
        RunSummary run;
        try (LocalCandidateRunner runner = new LocalCandidateRunner(1)) {
            run = EvolveRun.run(EvolveRun.prepare(config, null, new EvolveRun.Options(far.toString(),
                    new RunBudget(null, 4)), hadoop), state, null, runner, ProgressListener.NONE).summary();
        }
        assertEquals(1, run.skipped().size(), run.toString());
        assertTrue(run.skipped().get(0).reason().startsWith("cannot reach hdfs://127.0.0.1:1/data/remote"),
                run.skipped().get(0).reason());
        assertEquals(before, TinyRuns.snapshot(Path.of(state)));
    }

    @Test
    void badTaskMappingsAreRefusedNamingTheKey() throws Exception {
        Path unknown = dir.resolve("mapping-key.yaml");
        Files.writeString(unknown, "tasks:\n  - name: pets\n    formt: parquet\nmax_visits_per_task: 1\n");
        assertRefused(unknown, "unknown key 'formt' in a task mapping; known keys: ");
        Path format = dir.resolve("mapping-format.yaml");
        Files.writeString(format, "tasks:\n  - name: pets\n    format: tiff\nmax_visits_per_task: 1\n");
        assertRefused(format, "unknown format 'tiff'; known: idx, image_folder, parquet");
    }

    @Test
    void duplicateAndCollidingTaskNamesAreRefused() throws Exception {
        assertRefused(catalog("dup.yaml", List.of(A, "mnist", A)), "is listed twice");
        assertRefused(catalog("case.yaml", List.of("mnist", "MNIST")), "names are compared ignoring case");
        assertRefused(catalog("space.yaml", List.of("mnist ")), "leading or trailing spaces");
    }

    @Test
    void taskNamesCannotEscapeTheDataDirectory() throws Exception {
        assertRefused(catalog("up.yaml", List.of("../../etc")), "outside the data directory");
        assertRefused(catalog("abs.yaml", List.of("/etc/passwd")), "outside the data directory");
        assertRefused(catalog("private.yaml", List.of("private:../state")), "outside the data directory");
    }

    @Test
    void configWithUnknownKeysOrOutOfRangeValuesIsRefused() throws Exception {
        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, Files.readString(config).replace("samples_per_task", "samples_per_tsk"));
        assertRefusedWith(unknown, catalog("ok.yaml", List.of(A)), "unknown key 'samples_per_tsk'");
        Path zero = dir.resolve("zero.yaml");
        Files.writeString(zero, Files.readString(config).replace("candidates_per_generation: 2",
                "candidates_per_generation: 0"));
        assertRefusedWith(zero, catalog("ok.yaml", List.of(A)), "candidates_per_generation must be at least 1");
        Path lr = dir.resolve("lr.yaml");
        Files.writeString(lr, Files.readString(config).replace("opt_lr: 0.05", "opt_lr: -1"));
        assertRefusedWith(lr, catalog("ok.yaml", List.of(A)), "hparams.opt_lr must be a positive number");
    }

    @Test
    void catalogProblemsAreRefused() throws Exception {
        Path unknownKey = dir.resolve("badkey.yaml");
        Files.writeString(unknownKey, "tasks: [mnist]\nmax_visit: 2\n");
        assertRefused(unknownKey, "unknown key 'max_visit'");
        assertRefused(dir.resolve("absent.yaml"), "does not exist");
        Path unbounded = catalog("unbounded.yaml", List.of(A));
        Files.writeString(unbounded, "tasks: [\"" + A + "\"]\n");
        Map<String, String> before = TinyRuns.snapshot(Path.of(state));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (LocalCandidateRunner runner = new LocalCandidateRunner(1)) {
                EvolveRun.run(config, state, null, null, runner, ProgressListener.NONE,
                        new EvolveRun.Options(unbounded.toString(), RunBudget.unlimited()));
            }
        });
        assertTrue(e.getMessage().contains("give --time-budget or --max-generations"), e.getMessage());
        assertEquals(before, TinyRuns.snapshot(Path.of(state)));
    }

    /**
     * A real divergence: without auto-tuning, a learning rate of 1e38 makes every candidate's loss
     * non-finite. Each is rejected with its reason (recorded in the history), the generation and the
     * run go on, and what was committed before stays byte-identical (a state only grows).
     */
    @Test
    void divergingCandidatesAreRejectedAndTheRunGoesOn() throws Exception {
        Path absurd = dir.resolve("absurd.yaml");
        Files.writeString(absurd, Files.readString(config).replace("opt_lr: 0.05", "opt_lr: 1.0e38")
                .replace("evolution:\n", "evolution:\n  auto_tune: none\n"));
        String own = dir.resolve("diverging").toString();
        Path both = TinyRuns.catalog(dir, "diverging.yaml", List.of(A, "fashion_mnist/labels:0-4"), 1);
        List<org.munet.evolution.GenerationReport> reports = new java.util.ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onGeneration(org.munet.evolution.GenerationReport r) {
                reports.add(r);
            }

            @Override
            public void onTaskEnd(String task, int iteration, double validation, double test, double elapsed) {}
        };
        RunSummary first;
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            first = EvolveRun.run(absurd, own, null, null, runner, listener,
                    new EvolveRun.Options(both.toString(), new RunBudget(null, 1))).summary();
        }
        assertEquals(1, first.generations());
        assertEquals(2, reports.get(0).rejections().size(), reports.toString());
        assertTrue(reports.get(0).rejections().get(0).contains("lower opt_lr"), reports.toString());
        assertEquals(0, reports.get(0).kept());
        Map<String, String> before = TinyRuns.snapshot(Path.of(own));
        RunSummary second;
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            second = EvolveRun.run(absurd, own, null, null, runner, listener,
                    new EvolveRun.Options(both.toString(), new RunBudget(null, 1))).summary();
        }
        assertEquals(List.of("fashion_mnist/labels:0-4"), second.introduced(), "the run went on to the next task");
        Map<String, String> after = TinyRuns.snapshot(Path.of(own));
        for (Map.Entry<String, String> f : before.entrySet()) {
            if (!f.getKey().startsWith("staging") && !f.getKey().equals("lock")) {
                assertEquals(f.getValue(), after.get(f.getKey()), f.getKey() + " was committed and must not change");
            }
        }
        String history = Files.readString(Path.of(own, "history", "2.jsonl"));
        assertTrue(history.contains("non-finite") || history.contains("became"), history);
    }

    @Test
    void evolutionRefusesADamagedState() throws Exception {
        Path copy = dir.resolve("damaged");
        try (var files = Files.walk(Path.of(state))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, copy.resolve(Path.of(state).relativize(f).toString()));
            }
        }
        Path component;
        try (var files = Files.list(copy.resolve("components"))) {
            component = files.filter(f -> f.toString().endsWith(".safetensors")).sorted().findFirst().orElseThrow();
        }
        // A committed component gone: evolve's start-up check (incremental: it lists every file the
        // latest version needs, and hashes those committed since the last check) refuses the state.
        // A flipped bit in an old file is fsck --full's to find (StateVerifierTest), and every read's.
        Files.delete(component);
        Files.deleteIfExists(component.resolveSibling("." + component.getFileName() + ".crc"));
        Map<String, String> before = TinyRuns.snapshot(copy);
        org.munet.store.CorruptStateException e = assertThrows(org.munet.store.CorruptStateException.class, () -> {
            try (LocalCandidateRunner runner = new LocalCandidateRunner(1)) {
                EvolveRun.run(config, copy.toString(), null, null, runner, ProgressListener.NONE,
                        new EvolveRun.Options(catalog("more.yaml", List.of(A, "fashion_mnist/labels:0-4")).toString(),
                                new RunBudget(null, 1)));
            }
        });
        assertTrue(e.getMessage().contains(component.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("fsck --state"), e.getMessage());
        assertEquals(before, TinyRuns.snapshot(copy), "a damaged state is left exactly as found");
    }

    /** The task is skipped with its error, the run goes on (here with nothing else to do), nothing is written. */
    private static void assertSkipped(String task, String expected) throws Exception {
        Map<String, String> before = TinyRuns.snapshot(Path.of(state));
        RunSummary run = evolve(catalog("bad-" + task + ".yaml", List.of(A, task)));
        assertEquals(1, run.skipped().size(), run.toString());
        VisitSchedule.Skipped s = run.skipped().get(0);
        assertEquals(task, s.task());
        assertTrue(s.reason().contains(expected), s.reason());
        assertTrue(run.didNothing(), run.toString());
        assertEquals(before, TinyRuns.snapshot(Path.of(state)), "the committed state must be untouched");
    }

    private static void assertRefused(Path catalog, String expected) throws Exception {
        assertRefusedWith(config, catalog, expected);
    }

    private static void assertRefusedWith(Path configFile, Path catalog, String expected) throws Exception {
        Map<String, String> before = TinyRuns.snapshot(Path.of(state));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (LocalCandidateRunner runner = new LocalCandidateRunner(1)) {
                EvolveRun.run(configFile, state, null, null, runner, ProgressListener.NONE,
                        new EvolveRun.Options(catalog.toString(), new RunBudget(null, 4)));
            }
        });
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(before, TinyRuns.snapshot(Path.of(state)), "the committed state must be untouched");
    }

    private static RunSummary evolve(Path catalog) throws Exception {
        try (LocalCandidateRunner runner = new LocalCandidateRunner(2)) {
            return EvolveRun.run(config, state, null, null, runner, ProgressListener.NONE,
                    new EvolveRun.Options(catalog.toString(), new RunBudget(null, 4))).summary();
        }
    }

    private static Path catalog(String name, List<String> tasks) throws IOException {
        return TinyRuns.catalog(dir, name, tasks, 1);
    }

    private static Path withDataDir(Path file) throws IOException {
        String yaml = Files.readString(file).replaceFirst("data_dir: .*", "data_dir: " + data);
        Files.writeString(file, yaml);
        return file;
    }

    /** A user dataset in the MNIST layout: {@code n} 28x28 images per split, labels cycling over classes. */
    private static void userDataset(String name, int n, int classes, Consumer<int[]> edit, boolean declare)
            throws IOException {
        Path d = Files.createDirectories(data.resolve(name));
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        edit.accept(labels);
        byte[] pixels = new byte[n * 28 * 28];
        new java.util.Random(n).nextBytes(pixels);
        for (String split : List.of("train", "t10k")) {
            Files.write(d.resolve(split + "-images-idx3-ubyte"), TestFiles.idx(new int[] {n, 28, 28}, pixels));
            byte[] l = new byte[n];
            for (int i = 0; i < n; i++) {
                l[i] = (byte) labels[i];
            }
            Files.write(d.resolve(split + "-labels-idx1-ubyte"), TestFiles.idx(new int[] {n}, l));
        }
        if (declare) {
            Files.writeString(d.resolve("num_classes"), classes + "\n");
        }
    }
}
