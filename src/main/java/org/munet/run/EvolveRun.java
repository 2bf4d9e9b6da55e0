package org.munet.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.munet.config.ConfigLoader;
import org.munet.config.Experiment;
import org.munet.data.TaskData;
import org.munet.evolution.CandidateRunner;
import org.munet.evolution.EvolutionEngine;
import org.munet.evolution.ProgressListener;
import org.munet.evolution.TaskSpec;
import org.munet.store.RunLock;
import org.munet.store.StateStore;
import org.munet.store.SystemManifest;
import org.munet.system.Architecture;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.Progress;
import org.munet.system.Tasks;

/**
 * One {@code evolve} invocation: open (or create) a state, take its single-writer lock, and run the
 * engine from the last committed generation to the end. A state remembers the checksum of the
 * config that created it; re-running with the same config continues it.
 */
public final class EvolveRun {

    /** What the run ended with. */
    public record Outcome(Population population, Progress progress, long version, Experiment experiment,
            EvolutionEngine engine) {}

    private EvolveRun() {}

    public static Outcome run(Path configFile, String stateUri, String continueFrom, String baseline,
            CandidateRunner runner, ProgressListener listener) {
        ConfigLoader.Loaded loaded = ConfigLoader.load(configFile);
        String identity = identity(loaded.sha256(), baseline);
        String dataDir = Experiment.dataDir(loaded.config());
        Experiment experiment = Experiment.resolve(loaded.config(), baseline, name -> taskInfo(name, dataDir));
        StateStore store = StateStore.open(stateUri, new Configuration());
        try (RunLock lock = RunLock.acquire(store, "evolve")) {
            OptionalLong latest = store.latestVersion();
            Population population;
            Progress progress;
            long rootParams;
            String from;
            long version;
            if (latest.isPresent()) {
                if (continueFrom != null) {
                    throw new IllegalArgumentException(store.uri() + " already holds a system (version "
                            + latest.getAsLong() + "); --continue-from only starts a new state: pick an empty --state");
                }
                SystemManifest.Loaded state = SystemManifest.read(store, latest.getAsLong());
                if (!state.configSha256().equals(identity)) {
                    throw new IllegalArgumentException(store.uri() + " was created from another config (or"
                            + " baseline): its identity is " + state.configSha256() + ", this run's is " + identity
                            + ". Re-run with the config it was created with, or start a new state with"
                            + " --continue-from " + store.uri());
                }
                population = state.population();
                progress = state.progress();
                rootParams = state.rootParams();
                from = state.continuedFrom();
                version = state.version();
                discardUncommitted(store, population);
            } else {
                store.cleanStaging();
                store.cleanTemporaryFiles();
                store.putRootFile("config.yaml", loaded.bytes());
                progress = Progress.start();
                if (continueFrom != null) {
                    SystemManifest.Loaded other = new StateReader(continueFrom).latest();
                    population = other.population();
                    rootParams = other.rootParams();
                    from = continueFrom;
                    copyComponents(StateStore.open(continueFrom, new Configuration()), store, population);
                } else {
                    population = RootBuilder.create(store, experiment.settings().policy().dims(),
                            experiment.defaults(), experiment.rootLayers(), experiment.settings().seed());
                    rootParams = Architecture.parameterCount(experiment.settings().policy().dims(),
                            experiment.defaults());
                    from = null;
                }
                version = 0;
            }
            StoreStateSink sink = new StoreStateSink(store, version, identity, rootParams, from);
            if (version == 0) {
                sink.commit(population, progress, null, java.util.List.of(), java.util.List.of());
            }
            EvolutionEngine engine = new EvolutionEngine(experiment.settings(), rootParams, runner, sink,
                    store.uri().toString(), listener);
            Progress end = engine.run(population, progress);
            return new Outcome(population, end, sink.version(), experiment, engine);
        }
    }

    /**
     * After a crash: staged outputs and component files promoted by a generation whose manifest was
     * never committed are garbage (their ids will be handed out again); committed files stay.
     */
    private static void discardUncommitted(StateStore store, Population population) {
        store.cleanStaging();
        store.cleanTemporaryFiles();
        Set<Long> referenced = new HashSet<>();
        for (Component c : population.components()) {
            referenced.add(c.id());
        }
        for (long id : store.unreferencedComponents(referenced)) {
            if (id >= population.nextComponentId()) {
                store.deleteUncommittedComponent(id);
            }
        }
    }

    private static void copyComponents(StateStore from, StateStore to, Population population) {
        for (Component c : population.components()) {
            to.putComponentDirect(c.id(), from.readComponent(c.id(), c.sha256()));
        }
    }

    private static TaskSpec taskInfo(String name, String dataDir) {
        // Resolved on the driver once; workers load the same data themselves.
        TaskData data = org.munet.data.Tasks.load(Tasks.datasetName(name), Path.of(dataDir));
        return new TaskSpec(name, data.numClasses(), data.train().size());
    }

    static String identity(String configSha, String baseline) {
        return baseline == null ? configSha
                : ConfigLoader.sha256((configSha + "|" + baseline).getBytes(StandardCharsets.UTF_8));
    }
}
