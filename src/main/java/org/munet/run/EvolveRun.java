package org.munet.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.munet.config.ConfigLoader;
import org.munet.config.EvolutionConfig;
import org.munet.config.Experiment;
import org.munet.config.TaskEntry;
import org.munet.data.DataSources;
import org.munet.data.DatasetException;
import org.munet.data.Datasets;
import org.munet.data.TaskData;
import org.munet.evolution.CandidateRunner;
import org.munet.evolution.EvolutionEngine;
import org.munet.evolution.ProgressListener;
import org.munet.evolution.RunBudget;
import org.munet.evolution.RunSummary;
import org.munet.evolution.TaskSpec;
import org.munet.evolution.VisitSchedule;
import org.munet.nn.checkpoint.CheckpointException;
import org.munet.nn.checkpoint.CheckpointFile;
import org.munet.store.HadoopConf;
import org.munet.evolution.PhaseTrace;
import org.munet.store.Retention;
import org.munet.store.RunLock;
import org.munet.store.StateCollection;
import org.munet.store.StateFormat;
import org.munet.store.StateReport;
import org.munet.store.StateGarbage;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.store.SystemManifest;
import org.munet.system.Architecture;
import org.munet.system.CheckpointDims;
import org.munet.system.Component;
import org.munet.system.ModelDims;
import org.munet.system.Population;
import org.munet.system.Progress;
import org.munet.system.SystemState;
import org.munet.system.TaskNames;
import org.munet.system.TaskSource;

/**
 * One {@code evolve} invocation: open (or create) a state, take its single-writer lock, and run the
 * engine from the last committed generation to the end. A state remembers the checksum of the
 * config that created it; re-running with the same config continues it.
 */
public final class EvolveRun {

    /** What the run ended with. */
    public record Outcome(SystemState state, long version, Experiment experiment, EvolutionEngine engine,
            RunSummary summary) {

        public Population population() {
            return state.population();
        }

        public Progress progress() {
            return state.progress();
        }
    }

    /**
     * How a run picks its work and when it stops.
     *
     * @param catalog a task catalog ({@link TaskCatalog}) to take the tasks from instead of the
     *     config; null for the config's tasks, each visited {@code task_iterations} times
     * @param budget when to stop early, at a generation boundary
     * @param root a pretrained checkpoint (path or URI) for a new state's root, overriding the config's
     *     {@code root} section ({@code evolve --root}); null for the config's
     */
    public record Options(String catalog, RunBudget budget, String root) {

        public Options(String catalog, RunBudget budget) {
            this(catalog, budget, null);
        }

        public static Options defaults() {
            return new Options(null, RunBudget.unlimited());
        }
    }

    private EvolveRun() {}

    public static Outcome run(Path configFile, String stateUri, String continueFrom, String baseline,
            CandidateRunner runner, ProgressListener listener) {
        return run(configFile, stateUri, continueFrom, baseline, runner, listener, Options.defaults());
    }

    public static Outcome run(Path configFile, String stateUri, String continueFrom, String baseline,
            CandidateRunner runner, ProgressListener listener, Options options) {
        return run(prepare(configFile, baseline, options), stateUri, continueFrom, runner, listener);
    }

    /**
     * A run's checked input: the config, its identity, the resolved experiment, the schedule, the
     * budget, the Hadoop configuration every FileSystem access of the run uses ({@link HadoopConf}),
     * and the pretrained root it names, if any.
     *
     * <p>When the root's checkpoint file is absent, the experiment and schedule wait for the state
     * (null here): a continued state knows its root's dimensions, a new one fails for want of them.
     *
     * @param identity the state identity this run expects (the config's checksum and, with a root
     *     checkpoint, the checkpoint's; see {@link RootPlan#identity})
     */
    public record Prepared(ConfigLoader.Loaded loaded, String identity, Experiment experiment,
            VisitSchedule schedule, RunBudget budget, Configuration hadoop, RootPlan root, String configIdentity,
            String baseline, Options options) {

        /** Which versions the state keeps (the config's {@code state} section; defaults when absent). */
        public Retention retention() {
            EvolutionConfig.State s = loaded.config().state();
            if (s == null) {
                return Retention.defaults();
            }
            return new Retention(s.keepLastVersions() == null ? Retention.DEFAULT_KEEP_LAST : s.keepLastVersions(),
                    Boolean.TRUE.equals(s.keepAll()));
        }

        /** True when the experiment waits for the state (the root checkpoint is absent). */
        boolean deferred() {
            return experiment == null;
        }
    }

    /**
     * Checks everything that can be wrong with the input (config, catalog, task names) before any
     * runner starts or the state is opened, so bad input costs nothing and never writes anything.
     */
    public static Prepared prepare(Path configFile, String baseline, Options options) {
        return prepare(configFile, baseline, options, HadoopConf.forThisJvm());
    }

    /** @param hadoop the run's Hadoop configuration, also given to its runner */
    public static Prepared prepare(Path configFile, String baseline, Options options, Configuration hadoop) {
        ConfigLoader.Loaded loaded = ConfigLoader.load(configFile);
        String configIdentity = identity(loaded.sha256(), baseline);
        // A present checkpoint is read and checked in full here, before any runner starts.
        RootPlan root = RootPlan.of(loaded.config(), options.root(), hadoop);
        if (root != null && !root.fileFound()) {
            return new Prepared(loaded, configIdentity, null, null, options.budget(), hadoop, root, configIdentity,
                    baseline, options);
        }
        return resolved(loaded, root == null ? configIdentity : root.identity(configIdentity),
                root == null ? null : root.dims(), root, configIdentity, baseline, options, hadoop);
    }

    private static Prepared resolved(ConfigLoader.Loaded loaded, String identity, CheckpointDims rootDims,
            RootPlan root, String configIdentity, String baseline, Options options, Configuration hadoop) {
        String dataDir = Experiment.dataDir(loaded.config());
        Experiment experiment = Experiment.resolve(loaded.config(), baseline, null, rootDims);
        return new Prepared(loaded, identity, experiment,
                schedule(loaded.config(), experiment, options, dataDir, hadoop), options.budget(), hadoop, root,
                configIdentity, baseline, options);
    }

    /**
     * Where a writer resumes a state.
     *
     * @param committed the latest committed version
     * @param base the checkpoint it was written against (itself when it is one), which the run's deltas
     *     are written against until its first task end
     * @param checked the state's check at start; {@link StateVerifier#record}ed once the run commits, so
     *     that a run that writes nothing (bad input) leaves the state as it was
     */
    public record Resumed(SystemManifest.Loaded committed, SystemManifest.Loaded base, StateReport checked) {}

    /**
     * Where a writer resumes a state: the state is checked ({@link StateVerifier#requireHealthy}: a
     * damaged state, with a committed file missing or altered, is never built upon), its latest
     * committed version read, what a stopped run left (crash leftovers, which are not damage) cleared,
     * a v1 state migrated ({@link StateFormat}), and what {@code retention} no longer keeps collected,
     * so that even a run with nothing to do leaves the state bounded. Empty for a state without a
     * committed version. Only while holding the state's lock.
     */
    public static java.util.Optional<Resumed> resume(StateStore store, Retention retention) {
        StateReport checked = StateVerifier.requireHealthy(store);
        OptionalLong latest = store.latestVersion();
        if (latest.isEmpty()) {
            return java.util.Optional.empty();
        }
        SystemManifest.Chain chain = SystemManifest.readWithBase(store, latest.getAsLong());
        StateGarbage.discardUncommitted(store, chain.loaded().population());
        StateFormat.ensureCurrent(store);
        new StateCollection(store, retention, PhaseTrace::mark).collect();
        return java.util.Optional.of(new Resumed(chain.loaded(), chain.base(), checked));
    }

    public static Outcome run(Prepared prepared, String stateUri, String continueFrom, CandidateRunner runner,
            ProgressListener listener) {
        Prepared input = prepared;
        ConfigLoader.Loaded loaded = input.loaded();
        Configuration hadoop = input.hadoop();
        StateStore store = StateStore.open(stateUri, hadoop);
        try (RunLock lock = RunLock.acquire(store, "evolve")) {
            java.util.Optional<Resumed> resumed = resume(store, input.retention());
            SystemState state;
            long version;
            if (resumed.isPresent()) {
                SystemManifest.Loaded committed = resumed.get().committed();
                if (continueFrom != null) {
                    throw new IllegalArgumentException(store.uri() + " already holds a system (version "
                            + committed.version() + "); --continue-from only starts a new state: pick an empty --state");
                }
                input = forState(input, committed, store);
                state = committed.state();
                version = committed.version();
            } else {
                requireNewRoot(input, continueFrom);
                requireReadableTask(input.schedule());
                // A run that died before its first commit may have written root components already.
                StateGarbage.discardUncommitted(store);
                store.putConfig(loaded.bytes());
                StateFormat.ensureCurrent(store);
                state = continueFrom != null ? continued(continueFrom, store, input.identity(), input.hadoop())
                        : root(store, input);
                version = 0;
            }
            StoreStateSink sink = new StoreStateSink(store, version, lock::ensureHeld, input.retention(),
                    resumed.map(Resumed::base).orElse(null));
            if (version == 0) {
                sink.commit(state, null, java.util.List.of(), java.util.List.of());
            }
            Experiment experiment = input.experiment();
            EvolutionEngine engine = new EvolutionEngine(experiment.settings(), input.schedule(), runner, sink,
                    store.uri().toString(), listener);
            java.time.Instant started = java.time.Instant.now();
            EvolutionEngine.Result result = engine.run(state, input.budget());
            if (resumed.isPresent() && sink.version() > version) {
                StateVerifier.record(store, resumed.get().checked());
            }
            if (!result.summary().didNothing()) {
                lock.ensureHeld();
                RunRecord.write(store, result.summary(), sink.version(), started, java.time.Instant.now());
            }
            return new Outcome(result.state(), sink.version(), experiment, engine, result.summary());
        }
    }

    /**
     * A new state is created only for data that can be read: when every listed task is skipped
     * (missing, unreachable or bad data) the run fails with the reasons and writes nothing, so a
     * nightly scheduler sees the failure and no empty system is left behind.
     */
    private static void requireReadableTask(VisitSchedule schedule) {
        if (schedule.next(Progress.start()) == null && !schedule.skipped().isEmpty()) {
            throw new DatasetException(allSkipped(schedule.skipped()));
        }
    }

    /** The failure of a run in which no listed task could be read, with each task's reason. */
    public static String allSkipped(List<VisitSchedule.Skipped> skipped) {
        StringBuilder b = new StringBuilder("no listed task could be read, so nothing was evolved or written:");
        for (VisitSchedule.Skipped s : skipped) {
            b.append("\n  ").append(s.task()).append(": ").append(s.reason());
        }
        return b.toString();
    }

    /** A new system grown from a random-init or pretrained root (spec §1.5). */
    private static SystemState root(StateStore store, Prepared input) {
        Experiment experiment = input.experiment();
        ModelDims dims = experiment.settings().policy().dims();
        Population population = input.root() == null
                ? RootBuilder.create(store, dims, experiment.defaults(), experiment.rootLayers(),
                        experiment.settings().seed())
                : RootBuilder.fromCheckpoint(store, input.root().read(input.hadoop()), dims, experiment.defaults(),
                        experiment.settings().seed());
        long rootParams = Architecture.parameterCount(dims, experiment.defaults());
        return new SystemState(population, Progress.start(), input.identity(), rootParams, null);
    }

    /** A new state needs its root checkpoint, and a continued-from system brings its own root. */
    private static void requireNewRoot(Prepared input, String continueFrom) {
        if (input.root() == null) {
            return;
        }
        if (continueFrom != null) {
            throw new IllegalArgumentException("--continue-from starts from another system, root and all, and a root"
                    + " checkpoint (" + input.root().path() + ") was given too: remove the config's root section"
                    + " or --root");
        }
        if (!input.root().fileFound()) {
            // Reading it again names the cause (absent, or its file system unreachable).
            CheckpointFile.sha256Of(input.root().path(), input.hadoop());
            throw new CheckpointException("root checkpoint " + input.root().path() + " appeared after the run"
                    + " started: run again");
        }
    }

    /**
     * The run's input checked against the state it continues: same config (and baseline), same root.
     * When the root checkpoint is absent the state's own root supplies the dimensions and checksum.
     */
    private static Prepared forState(Prepared input, SystemManifest.Loaded committed, StateStore store) {
        String recorded = committed.configSha256();
        String recordedRoot = RootPlan.recordedSha256(recorded);
        if (!RootPlan.configPart(recorded).equals(input.configIdentity())) {
            throw new IllegalArgumentException(store.uri() + " was created from another config (or"
                    + " baseline): its identity is " + recorded + ", this run's is " + input.identity()
                    + ". Re-run with the config it was created with, or start a new state with"
                    + " --continue-from " + store.uri());
        }
        RootPlan root = input.root();
        String what = recordedRoot == null ? "a random-init root" : "a root checkpoint with SHA-256 " + recordedRoot;
        if (root == null) {
            if (recordedRoot != null) {
                throw new IllegalArgumentException(store.uri() + " was created from " + what + "; this run names no"
                        + " root checkpoint: give the same one (root.path or --root)");
            }
            return input;
        }
        if (recordedRoot == null || (root.fileFound() && !root.sha256().equals(recordedRoot))) {
            throw new IllegalArgumentException(store.uri() + " was created from " + what + "; this run's root "
                    + root.path() + (root.fileFound() ? " has SHA-256 " + root.sha256() : " does not exist")
                    + ". A state keeps the root it was created with: give that checkpoint, or none, or start a"
                    + " new state");
        }
        if (!input.deferred()) {
            return input;
        }
        // The checkpoint is gone: the dimensions are the state's own root's.
        return resolved(input.loaded(), recorded, RootDims.of(committed.population(), store.uri().toString()), root,
                input.configIdentity(), input.baseline(), input.options(), input.hadoop());
    }

    /** A new system that starts as another one's final state (the paper's chained benchmarks). */
    private static SystemState continued(String continueFrom, StateStore store, String identity,
            Configuration hadoop) {
        SystemManifest.Loaded other = new StateReader(continueFrom, hadoop).latest();
        copyComponents(StateStore.open(continueFrom, hadoop), store, other.population());
        return new SystemState(other.population(), Progress.start(), identity, other.rootParams(), continueFrom);
    }

    private static void copyComponents(StateStore from, StateStore to, Population population) {
        for (Component c : population.components()) {
            to.putComponentDirect(c.id(), from.readComponent(c.id(), c.sha256()));
        }
    }

    private static VisitSchedule schedule(EvolutionConfig config, Experiment experiment, Options options,
            String dataDir, Configuration hadoop) {
        List<TaskEntry> entries;
        Integer maxVisits;
        if (options.catalog() != null) {
            if (config.tasks() != null && !config.tasks().isEmpty()) {
                throw new IllegalArgumentException("the config lists tasks and --catalog was given: with a catalog"
                        + " the tasks come from it; remove 'tasks' from the config");
            }
            TaskCatalog catalog = TaskCatalog.load(options.catalog(), hadoop);
            if (catalog.maxVisitsPerTask() == null && !options.budget().isLimited()) {
                throw new IllegalArgumentException(catalog.source() + " sets no max_visits_per_task, so tasks are"
                        + " revisited until a budget stops the run: give --time-budget or --max-generations");
            }
            entries = catalog.tasks();
            maxVisits = catalog.maxVisitsPerTask();
        } else {
            if (config.tasks() == null || config.tasks().isEmpty()) {
                throw new IllegalArgumentException("the config lists no tasks: add e.g. 'tasks: [mnist, fashion_mnist]',"
                        + " or give --catalog FILE");
            }
            TaskNames.checkNames(TaskEntry.names(config.tasks()), "config 'tasks'");
            entries = config.tasks();
            maxVisits = experiment.settings().taskIterations();
        }
        Map<String, TaskSource> sources = new LinkedHashMap<>();
        entries.forEach(e -> sources.put(e.name(), e.source()));
        // The driver reads each task with the bound its workers use, so it streams the same tasks.
        Datasets.limitCache(experiment.settings().caches().taskDataBytes());
        return new VisitSchedule(List.copyOf(sources.keySet()), maxVisits,
                name -> taskInfo(name, sources.get(name), dataDir, hadoop));
    }

    /**
     * A task's source, classes and size, read on the driver when its first visit begins (workers
     * read the same data themselves, from the resolved URI). Bad data throws, and the schedule skips
     * the task for this run.
     */
    static TaskSpec taskInfo(String name, TaskSource written, String dataDir, Configuration hadoop) {
        TaskSource source = DataSources.resolve(written, dataDir, hadoop);
        TaskData data = Datasets.load(TaskNames.datasetName(name), source, hadoop);
        long classesSeen = java.util.Arrays.stream(data.trainLabels()).distinct().count();
        if (data.trainSize() == 0) {
            throw new DatasetException(name + ": no training examples; check the dataset's files");
        }
        if (data.numClasses() < 2 || classesSeen < 2) {
            throw new DatasetException(name + ": its training examples hold " + classesSeen + " class"
                    + (classesSeen == 1 ? "" : "es") + "; a classifier needs at least two");
        }
        return new TaskSpec(name, data.numClasses(), data.trainSize(), source, data.classNames());
    }

    static String identity(String configSha, String baseline) {
        return baseline == null ? configSha
                : ConfigLoader.sha256((configSha + "|" + baseline).getBytes(StandardCharsets.UTF_8));
    }
}
