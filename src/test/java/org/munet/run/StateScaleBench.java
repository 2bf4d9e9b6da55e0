package org.munet.run;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ContentSummary;
import org.munet.config.ConfigLoader;
import org.munet.config.Experiment;
import org.munet.evolution.EngineSettings;
import org.munet.evolution.EvolutionEngine;
import org.munet.evolution.ProgressListener;
import org.munet.evolution.RunBudget;
import org.munet.evolution.RunSummary;
import org.munet.evolution.StateSink;
import org.munet.evolution.TaskSpec;
import org.munet.evolution.TestRecord;
import org.munet.evolution.VisitSchedule;
import org.munet.store.HadoopConf;
import org.munet.store.ManifestKind;
import org.munet.store.Retention;
import org.munet.store.StateFormat;
import org.munet.store.RunLock;
import org.munet.store.StateReport;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.store.SystemManifest;
import org.munet.system.Architecture;
import org.munet.system.Component;
import org.munet.system.ModelDims;
import org.munet.system.Population;
import org.munet.system.Progress;
import org.munet.system.SystemState;
import org.munet.system.TaskPath;

/**
 * Benchmark (not a test): how the state store scales with tasks and versions. Grows a synthetic
 * state with the real engine ({@link EvolutionEngine}), the real sink ({@link StoreStateSink}) and
 * store, and a root built by {@link RootBuilder}, but a {@link StandInRunner} that trains nothing
 * (random qualities, tiny component files). A task visit is 19 generations plus its end-of-task
 * commit, so 20 versions per task: 1,000 tasks make 20,000 versions.
 *
 * <p>The run is cut at measurement points (numbers of tasks). At each, the writer stops as evolve
 * does (its run record written, its lock released), and then: both fsck modes are timed, the state's
 * bytes counted per directory, and a new writer starts as evolve starts ({@link #startUp}: open the
 * store, take the lock, {@link EvolveRun#resume}), timed, and continues the run from the state it
 * resumed. Everything is measured on the real files; the page cache is warm (the state was just
 * written), as it is for a nightly run resuming on the same machine.
 *
 * <p>Usage: {@code StateScaleBench [--tasks N] [--points a,b,c] [--state DIR] [--keep-last K]
 * [--keep-all] [--seed S] [--max-seconds T]}; run by {@code deploy/bench/state-scale.sh}.
 */
public final class StateScaleBench {

    /** Candidates per generation and samples per task: ceil(38 / 2) = 19 generations a visit. */
    private static final int CANDIDATES = 2;
    private static final int SAMPLES = 38;
    private static final int VERSIONS_PER_TASK = (SAMPLES + CANDIDATES - 1) / CANDIDATES + 1;

    private StateScaleBench() {}

    record Options(int tasks, List<Integer> points, String state, Retention retention, long seed,
            double maxSeconds) {}

    /** What one measurement point found. */
    record Row(int tasks, long versions, int commits, double p50Ms, double p99Ms, double maxMs, double startUpS,
            double fsckIncS, double fsckFullS, Disk disk, long liveComponentBytes, int liveComponents,
            int manifestFiles, int retainedVersions, long retainedManifestBytes, double heapMb, double segmentS,
            String stop) {}

    /** Bytes and files per state directory (file counts include Hadoop's .crc siblings). */
    record Disk(long manifest, long components, long history, long runs, long total, long manifestFiles,
            long componentFiles, long totalFiles) {}

    public static void main(String[] args) throws IOException {
        Options o = parse(args);
        long benchStart = System.nanoTime();
        deleteState(Path.of(o.state()));
        Configuration hadoop = HadoopConf.forThisJvm();
        ConfigLoader.Loaded loaded = ConfigLoader.parse(config(o).getBytes(StandardCharsets.UTF_8),
                "state-scale bench config");
        Experiment experiment = Experiment.resolve(loaded.config(), null, null);
        EngineSettings settings = experiment.settings();
        if (settings.generationsPerTask() + 1 != VERSIONS_PER_TASK) {
            throw new IllegalStateException("expected " + (VERSIONS_PER_TASK - 1) + " generations a visit, the config"
                    + " gives " + settings.generationsPerTask());
        }
        List<String> names = IntStream.rangeClosed(1, o.tasks()).mapToObj(i -> String.format("task%04d", i)).toList();
        StandInRunner runner = new StandInRunner(o.seed(), hadoop);

        System.out.printf(Locale.ROOT, "state scale: %d tasks (%d versions a task), points %s, state %s, retention %s,"
                + " seed %d%n", o.tasks(), VERSIONS_PER_TASK, o.points(), o.state(), o.retention(), o.seed());
        System.out.println("store: a checkpoint at each task end, deltas between; retention and garbage collection"
                + " after each commit; fsck incremental (recorded) and full");

        // A new state, created as evolve creates one: config, root components, version 1.
        StateStore store = StateStore.open(o.state(), hadoop);
        RunLock lock = RunLock.acquire(store, "evolve");
        store.putConfig(loaded.bytes());
        StateFormat.ensureCurrent(store);
        ModelDims dims = settings.policy().dims();
        Population root = RootBuilder.create(store, dims, experiment.defaults(), experiment.rootLayers(),
                settings.seed());
        SystemState state = new SystemState(root, Progress.start(), loaded.sha256(),
                Architecture.parameterCount(dims, experiment.defaults()), null);
        StoreStateSink storeSink = new StoreStateSink(store, 0, lock::ensureHeld, o.retention());
        // Versions committed between visits (the first, and every end of task): retention keeps them all.
        List<Long> betweenVisits = new ArrayList<>();
        TimedSink sink = new TimedSink(storeSink, storeSink::version, betweenVisits);
        sink.commit(state, null, List.of(), List.of());

        List<Row> rows = new ArrayList<>();
        printHeader();
        for (int point : o.points()) {
            long segmentStart = System.nanoTime();
            sink.times.clear();
            // The segment up to the point but its last task, then a nightly fsck (untimed: it records what
            // it verified), then the last task: the timed incremental fsck below then checks one night's
            // work, one task visit, as a nightly job that runs fsck after every evolve sees it.
            RunSummary summary = null;
            for (int tasks : point - 1 > 0 ? List.of(point - 1, point) : List.of(point)) {
                VisitSchedule schedule = new VisitSchedule(names.subList(0, tasks), 1, StateScaleBench::taskSpec);
                EvolutionEngine engine = new EvolutionEngine(settings, schedule, runner, sink,
                        store.uri().toString(), ProgressListener.NONE);
                Instant started = Instant.now();
                EvolutionEngine.Result result = engine.run(state, budget(o, benchStart));
                summary = result.summary();
                state = result.state();
                if (!summary.didNothing()) {
                    RunRecord.write(store, summary, storeSink.version(), started, Instant.now());
                }
                if (tasks < point && RunSummary.DONE.equals(summary.stopReason())) {
                    requireHealthy(fsckIncremental(store));
                } else {
                    break;
                }
            }
            double segmentS = (System.nanoTime() - segmentStart) / 1e9;
            lock.close();

            // Measured with the writer stopped, as a nightly fsck or the next evolve sees the state.
            StateStore stopped = store;
            double fsckInc = seconds(() -> requireHealthy(fsckIncremental(stopped)));
            double fsckFull = seconds(() -> requireHealthy(fsckFull(stopped)));
            Disk disk = disk(stopped);
            int manifestFiles = stopped.manifestVersions().size();
            Set<Long> retained = retained(o.retention(), betweenVisits, storeSink.version());
            long retainedManifestBytes = retainedVersionBytes(stopped, retained);

            // The next writer starts: the start-up evolve does, on fresh objects (a warm JVM, unlike evolve's).
            System.gc();
            long t0 = System.nanoTime();
            StartUp next = startUp(o.state(), hadoop, o.retention());
            double startUpS = (System.nanoTime() - t0) / 1e9;
            SystemManifest.Loaded resumed = next.resumed();
            long live = 0;
            for (Component c : resumed.population().components()) {
                live += next.store().fs().getFileStatus(next.store().layout().component(c.id())).getLen();
            }
            double[] ms = sink.times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int tasksDone = resumed.progress().visits().size();
            boolean done = RunSummary.DONE.equals(summary.stopReason());
            Row row = new Row(tasksDone, resumed.version(), ms.length, percentile(ms, 0.50), percentile(ms, 0.99),
                    ms.length == 0 ? Double.NaN : ms[ms.length - 1], startUpS, fsckInc, fsckFull, disk, live,
                    resumed.population().components().size(), manifestFiles, retained.size(), retainedManifestBytes,
                    heapMb(), segmentS,
                    done ? null : summary.stopReason());
            rows.add(row);
            printRow(row);

            // Go on from the resumed state, as the next evolve would.
            state = resumed.state();
            store = next.store();
            lock = next.lock();
            storeSink = new StoreStateSink(store, resumed.version(), lock::ensureHeld, o.retention());
            sink = new TimedSink(storeSink, storeSink::version, betweenVisits);
            if (!done) {
                System.out.println("stopped early: " + summary.stopReason());
                break;
            }
        }
        lock.close();
        printGrowth(rows);
        printTargets(rows);
        System.out.printf(Locale.ROOT, "wall %.1f s%n", (System.nanoTime() - benchStart) / 1e9);
    }

    // ------------------------------------------------------------------ fsck and start-up

    /**
     * The fsck a nightly job would run: only what was committed since the last check, which it records
     * as {@code munet fsck} does. It runs first at each point, so what changed is one segment's
     * versions (the previous point's check came before them).
     */
    static StateReport fsckIncremental(StateStore store) {
        return StateVerifier.record(store, StateVerifier.verify(store, StateVerifier.Mode.INCREMENTAL));
    }

    /** The fsck that reads every kept version and hashes every referenced component file. */
    static StateReport fsckFull(StateStore store) {
        return StateVerifier.verify(store, StateVerifier.Mode.FULL);
    }

    record StartUp(StateStore store, RunLock lock, SystemManifest.Loaded resumed) {}

    /** What evolve does before its first generation: open the state, take its lock, resume. */
    static StartUp startUp(String state, Configuration hadoop, Retention retention) {
        StateStore store = StateStore.open(state, hadoop);
        RunLock lock = RunLock.acquire(store, "evolve");
        Optional<EvolveRun.Resumed> resumed = EvolveRun.resume(store, retention);
        if (resumed.isEmpty()) {
            lock.close();
            throw new IllegalStateException(state + " holds no committed version");
        }
        return new StartUp(store, lock, resumed.get().committed());
    }

    private static void requireHealthy(StateReport report) {
        if (!report.healthy()) {
            throw new IllegalStateException("the benchmark's state is damaged, so its numbers mean nothing:\n"
                    + String.join("\n", report.errors().subList(0, Math.min(10, report.errors().size()))));
        }
    }

    // ------------------------------------------------------------------ the synthetic experiment

    /** Tiny model dimensions: the root's real component files stay small; candidates' are 64-256 bytes. */
    private static String config(Options o) {
        return String.join("\n",
                "# state-scale bench: tiny dims, " + (VERSIONS_PER_TASK - 1) + " generations a visit, one visit a task",
                "seed: " + o.seed(),
                "model:",
                "  image_size: 28",
                "  patch_size: 14",
                "  channels: 1",
                "  hidden_size: 8",
                "  mlp_dim: 8",
                "  num_heads: 2",
                "  num_layers: 1",
                "evolution:",
                "  candidates_per_generation: " + CANDIDATES,
                "  samples_per_task: " + SAMPLES,
                "  task_iterations: 1",
                "training:",
                "  batch_size: 32",
                "  validations: 1",
                "  max_train_examples_between_validations: 128",
                "  max_validation_examples: 64",
                "state:",
                "  keep_last_versions: " + o.retention().keepLast(),
                "  keep_all: " + o.retention().keepAll(),
                "");
    }

    /** A task with three classes whose source (its bare name) is never read: the runner trains nothing. */
    static TaskSpec taskSpec(String name) {
        return new TaskSpec(name, 3, 1000);
    }

    private static RunBudget budget(Options o, long benchStart) {
        if (o.maxSeconds() <= 0) {
            return RunBudget.unlimited();
        }
        double left = o.maxSeconds() - (System.nanoTime() - benchStart) / 1e9;
        return new RunBudget(Duration.ofMillis(Math.max(1, (long) (left * 1000))), null);
    }

    /** Times every commit, the sink's whole call (promotion, history, manifest, staging clean-up). */
    static final class TimedSink implements StateSink {

        private final StateSink inner;
        private final LongSupplier version;
        private final List<Long> betweenVisits;
        final List<Double> times = new ArrayList<>();

        /**
         * @param version the inner sink's committed version
         * @param betweenVisits where the versions committed between visits are added (a commit
         *     without a staging run: the first version and every end of task)
         */
        TimedSink(StateSink inner, LongSupplier version, List<Long> betweenVisits) {
            this.inner = inner;
            this.version = version;
            this.betweenVisits = betweenVisits;
        }

        @Override
        public void commit(SystemState state, String runId, List<TaskPath> createdPaths,
                List<Component> createdComponents) {
            commit(state, runId, createdPaths, createdComponents, List.of());
        }

        @Override
        public void commit(SystemState state, String runId, List<TaskPath> createdPaths,
                List<Component> createdComponents, List<TestRecord> tests) {
            long t0 = System.nanoTime();
            inner.commit(state, runId, createdPaths, createdComponents, tests);
            times.add((System.nanoTime() - t0) / 1e6);
            if (runId == null) {
                betweenVisits.add(version.getAsLong());
            }
        }
    }

    // ------------------------------------------------------------------ measuring

    /** The versions {@code retention} keeps: the first, every end of task, and the last keepLast. */
    static Set<Long> retained(Retention retention, List<Long> betweenVisits, long latest) {
        Set<Long> kept = new TreeSet<>();
        if (retention.keepAll()) {
            LongStream.rangeClosed(1, latest).forEach(kept::add);
            return kept;
        }
        kept.addAll(betweenVisits);
        LongStream.rangeClosed(Math.max(1, latest - retention.keepLast() + 1), latest).forEach(kept::add);
        return kept;
    }

    /**
     * Bytes of the manifests of the retained versions: each one's checkpoint or delta file (a delta's
     * checkpoint is a task end, retained itself). A retained version without its file is a retention
     * bug, and fails the bench.
     */
    static long retainedVersionBytes(StateStore store, Set<Long> versions) throws IOException {
        java.util.NavigableMap<Long, ManifestKind> kinds = store.manifestKinds();
        long bytes = 0;
        for (long v : versions) {
            ManifestKind kind = kinds.get(v);
            if (kind == null) {
                throw new IllegalStateException("retention dropped version " + v + ", which it should keep");
            }
            bytes += store.fs().getFileStatus(store.layout().manifest(v, kind)).getLen();
        }
        return bytes;
    }

    private static Disk disk(StateStore store) throws IOException {
        ContentSummary m = summary(store, store.layout().manifestDir());
        ContentSummary c = summary(store, store.layout().componentsDir());
        ContentSummary h = summary(store, store.layout().historyDir());
        ContentSummary r = summary(store, store.layout().runsDir());
        ContentSummary all = summary(store, store.layout().root());
        return new Disk(length(m), length(c), length(h), length(r), length(all), files(m), files(c), files(all));
    }

    private static ContentSummary summary(StateStore store, org.apache.hadoop.fs.Path dir) throws IOException {
        try {
            return store.fs().getContentSummary(dir);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    private static long length(ContentSummary s) {
        return s == null ? 0 : s.getLength();
    }

    private static long files(ContentSummary s) {
        return s == null ? 0 : s.getFileCount();
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Wall time of {@code r}, after a GC so the run's garbage is not collected on its clock. */
    private static double seconds(Runnable r) {
        System.gc();
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Heap the run holds: used after a GC (the state, the engine and the store's caches). */
    private static double heapMb() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / 1e6;
    }

    // ------------------------------------------------------------------ output

    private static final String HEADER = "%6s %7s %7s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %7s %6s %7s %7s%n";
    private static final String ROW = "%6d %7d %7d %8.1f %8.1f %8.1f %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %8.3f"
            + " %7d %6d %7.0f %7.1f%n";

    private static void printHeader() {
        System.out.printf(Locale.ROOT, HEADER, "tasks", "version", "commits", "c_p50ms", "c_p99ms", "c_maxms",
                "start_s", "fsckI_s", "fsckF_s", "man_MB", "comp_MB", "hist_MB", "tot_MB", "live_MB", "mfiles",
                "comps", "heap_MB", "seg_s");
    }

    private static void printRow(Row r) {
        Disk d = r.disk();
        System.out.printf(Locale.ROOT, ROW, r.tasks(), r.versions(), r.commits(), r.p50Ms(), r.p99Ms(), r.maxMs(),
                r.startUpS(), r.fsckIncS(), r.fsckFullS(), d.manifest() / 1e6, d.components() / 1e6,
                d.history() / 1e6, d.total() / 1e6, r.liveComponentBytes() / 1e6, r.manifestFiles(),
                r.liveComponents(), r.heapMb(), r.segmentS());
        System.out.flush();
    }

    /** Each measure's ratio between the last two points, and the exponent k in measure ~ versions^k. */
    private static void printGrowth(List<Row> rows) {
        if (rows.size() < 2) {
            return;
        }
        Row a = rows.get(rows.size() - 2);
        Row b = rows.get(rows.size() - 1);
        double versions = (double) b.versions() / a.versions();
        System.out.printf(Locale.ROOT, "growth %d -> %d tasks: tasks x%.2f, versions x%.2f; each measure's ratio"
                + " (k: it grows like versions^k)%n", a.tasks(), b.tasks(), (double) b.tasks() / a.tasks(), versions);
        growth("commit p50", a.p50Ms(), b.p50Ms(), versions);
        growth("commit p99", a.p99Ms(), b.p99Ms(), versions);
        growth("commit max", a.maxMs(), b.maxMs(), versions);
        growth("start-up", a.startUpS(), b.startUpS(), versions);
        growth("fsck incremental", a.fsckIncS(), b.fsckIncS(), versions);
        growth("fsck full", a.fsckFullS(), b.fsckFullS(), versions);
        growth("manifest bytes", a.disk().manifest(), b.disk().manifest(), versions);
        growth("component bytes", a.disk().components(), b.disk().components(), versions);
        growth("history bytes", a.disk().history(), b.disk().history(), versions);
        growth("total bytes", a.disk().total(), b.disk().total(), versions);
        growth("live component bytes", a.liveComponentBytes(), b.liveComponentBytes(), versions);
    }

    private static void growth(String what, double a, double b, double versions) {
        double ratio = b / a;
        System.out.printf(Locale.ROOT, "  %-22s x%8.2f  k=%5.2f%n", what, ratio, Math.log(ratio) / Math.log(versions));
    }

    /** The last point against the targets (set for 1,000 tasks and 20,000 versions). */
    private static void printTargets(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Row r = rows.get(rows.size() - 1);
        Disk d = r.disk();
        System.out.printf(Locale.ROOT, "at %d tasks, %d versions (targets are for 1000 tasks, 20000 versions):%n",
                r.tasks(), r.versions());
        System.out.printf(Locale.ROOT, "  commit max %.3f s (target < 1 s), p99 %.3f s%n", r.maxMs() / 1e3,
                r.p99Ms() / 1e3);
        System.out.printf(Locale.ROOT, "  evolve start-up %.2f s (target < 10 s)%n", r.startUpS());
        System.out.printf(Locale.ROOT, "  fsck incremental, after one night (one task visit) %.2f s (target < 10 s), full %.2f s%n", r.fsckIncS(),
                r.fsckFullS());
        long needed = r.liveComponentBytes() + r.retainedManifestBytes() + d.history();
        System.out.printf(Locale.ROOT, "  disk %.2f MB = %.2fx (target <= 2x) what must stay: live components %.3f MB"
                + " + manifests of the %d versions retention keeps %.2f MB + history (kept whole) %.2f MB; the disk"
                + " holds %d manifest files, %.2f MB%n",
                d.total() / 1e6, (double) d.total() / needed, r.liveComponentBytes() / 1e6, r.retainedVersions(),
                r.retainedManifestBytes() / 1e6, d.history() / 1e6, r.manifestFiles(), d.manifest() / 1e6);
        System.out.printf(Locale.ROOT, "  component files %.3f MB (%d files with .crc) = %.2fx the live ones (%d live"
                + " components)%n", d.components() / 1e6, d.componentFiles(),
                (double) d.components() / r.liveComponentBytes(), r.liveComponents());
        System.out.printf(Locale.ROOT, "  files on disk %d (with .crc siblings), %d manifest files%n", d.totalFiles(),
                r.manifestFiles());
    }

    // ------------------------------------------------------------------ command line

    static Options parse(String[] args) {
        int tasks = 1000;
        List<Integer> points = null;
        String state = "target/state-scale";
        int keepLast = Retention.DEFAULT_KEEP_LAST;
        boolean keepAll = false;
        long seed = 1;
        double maxSeconds = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--tasks" -> tasks = Integer.parseInt(value(args, ++i, a));
                case "--points" -> points = Arrays.stream(value(args, ++i, a).split(",")).map(String::trim)
                        .map(Integer::parseInt).toList();
                case "--state" -> state = value(args, ++i, a);
                case "--keep-last" -> keepLast = Integer.parseInt(value(args, ++i, a));
                case "--keep-all" -> keepAll = true;
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                case "--max-seconds" -> maxSeconds = Double.parseDouble(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown argument " + a + "; usage: StateScaleBench"
                        + " [--tasks N] [--points a,b,c] [--state DIR] [--keep-last K] [--keep-all] [--seed S]"
                        + " [--max-seconds T]");
            }
        }
        if (tasks < 1 || tasks > 9999) {
            throw new IllegalArgumentException("--tasks must be 1..9999, got " + tasks);
        }
        TreeSet<Integer> at = new TreeSet<>(points != null ? points : List.of(10, 30, 100, 300, 1000));
        int last = tasks;
        at.removeIf(p -> p > last);
        at.add(tasks); // the last point is always the whole run
        if (at.first() < 1) {
            throw new IllegalArgumentException("--points must be positive, got " + points);
        }
        Retention retention = keepAll ? new Retention(keepLast, true) : Retention.keepLast(keepLast);
        return new Options(tasks, List.copyOf(at), state, retention, seed, maxSeconds);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    /** Deletes the bench's state directory, refusing one that does not look like a state. */
    private static void deleteState(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent() && !Files.isDirectory(dir.resolve("manifest"))
                    && !Files.exists(dir.resolve("config.yaml"))) {
                throw new IllegalArgumentException(dir + " is not empty and holds no state (no manifest/ or"
                        + " config.yaml): not deleting it; give another --state");
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
