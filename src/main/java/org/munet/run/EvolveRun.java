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
import org.munet.store.HadoopConf;
import org.munet.store.RunLock;
import org.munet.store.StateGarbage;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.store.SystemManifest;
import org.munet.system.Architecture;
import org.munet.system.Component;
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
     */
    public record Options(String catalog, RunBudget budget) {
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
     * budget, and the Hadoop configuration every FileSystem access of the run uses ({@link HadoopConf}).
     */
    public record Prepared(ConfigLoader.Loaded loaded, String identity, Experiment experiment,
            VisitSchedule schedule, RunBudget budget, Configuration hadoop) {}

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
        String dataDir = Experiment.dataDir(loaded.config());
        Experiment experiment = Experiment.resolve(loaded.config(), baseline, null);
        return new Prepared(loaded, identity(loaded.sha256(), baseline), experiment,
                schedule(loaded.config(), experiment, options, dataDir, hadoop), options.budget(), hadoop);
    }

    public static Outcome run(Prepared input, String stateUri, String continueFrom, CandidateRunner runner,
            ProgressListener listener) {
        ConfigLoader.Loaded loaded = input.loaded();
        String identity = input.identity();
        Experiment experiment = input.experiment();
        Configuration hadoop = input.hadoop();
        StateStore store = StateStore.open(stateUri, hadoop);
        try (RunLock lock = RunLock.acquire(store, "evolve")) {
            // A damaged state (a committed file missing or altered) is never built upon; crash
            // leftovers are not damage and are cleaned below.
            StateVerifier.requireHealthy(store);
            OptionalLong latest = store.latestVersion();
            SystemState state;
            long version;
            if (latest.isPresent()) {
                if (continueFrom != null) {
                    throw new IllegalArgumentException(store.uri() + " already holds a system (version "
                            + latest.getAsLong() + "); --continue-from only starts a new state: pick an empty --state");
                }
                SystemManifest.Loaded committed = SystemManifest.read(store, latest.getAsLong());
                if (!committed.configSha256().equals(identity)) {
                    throw new IllegalArgumentException(store.uri() + " was created from another config (or"
                            + " baseline): its identity is " + committed.configSha256() + ", this run's is " + identity
                            + ". Re-run with the config it was created with, or start a new state with"
                            + " --continue-from " + store.uri());
                }
                state = committed.state();
                version = committed.version();
                StateGarbage.discardUncommitted(store, state.population());
            } else {
                requireReadableTask(input.schedule());
                // A run that died before its first commit may have written root components already.
                StateGarbage.discardUncommitted(store);
                store.putConfig(loaded.bytes());
                state = continueFrom != null ? continued(continueFrom, store, identity, input.hadoop()) : root(store, experiment, identity);
                version = 0;
            }
            StoreStateSink sink = new StoreStateSink(store, version, lock::ensureHeld);
            if (version == 0) {
                sink.commit(state, null, java.util.List.of(), java.util.List.of());
            }
            EvolutionEngine engine = new EvolutionEngine(experiment.settings(), input.schedule(), runner, sink,
                    store.uri().toString(), listener);
            EvolutionEngine.Result result = engine.run(state, input.budget());
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

    /** A new system grown from a random-init root (spec §1.5). */
    private static SystemState root(StateStore store, Experiment experiment, String identity) {
        Population population = RootBuilder.create(store, experiment.settings().policy().dims(),
                experiment.defaults(), experiment.rootLayers(), experiment.settings().seed());
        long rootParams = Architecture.parameterCount(experiment.settings().policy().dims(), experiment.defaults());
        return new SystemState(population, Progress.start(), identity, rootParams, null);
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
