package org.munet.serve;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.munet.nn.ComponentBlock;
import org.munet.nn.ComponentCodec;
import org.munet.nn.ComponentFactory;
import org.munet.nn.HostComponent;
import org.munet.nn.PathModel;
import org.munet.nn.VitConfig;
import org.munet.store.StateStore;
import org.munet.store.SystemManifest;
import org.munet.system.Architecture;
import org.munet.system.Component;
import org.munet.system.ComponentNames;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * Loads a task's best path from a committed state version for inference: the path the leaderboard
 * shows (highest validation quality, ties to the newest), frozen, without momentum.
 *
 * <p>The backbone's dimensions are read from the path's own component shapes, not from the
 * state's config: they are what the weights are, whatever root the system started from.
 */
public final class StateModels {

    private StateModels() {}

    /** The version to read: {@code requested}, checked to exist, or the latest when null. */
    public static long version(StateStore store, Long requested) {
        OptionalLong latest = store.latestVersion();
        if (latest.isEmpty()) {
            throw new IllegalArgumentException(store.uri() + " holds no committed system: nothing to predict"
                    + " with; run 'munet evolve --config FILE --state " + store.uri() + "' first");
        }
        if (requested == null) {
            return latest.getAsLong();
        }
        java.util.NavigableSet<Long> kept = new java.util.TreeSet<>(store.manifestVersions());
        if (!kept.contains(requested)) {
            String why = requested < latest.getAsLong() && requested >= 1
                    ? ": the state keeps every end-of-task version and its last versions (state.keep_last_versions"
                            + " in the config), and version " + requested + " was dropped; the nearest kept are "
                            + kept.lower(requested) + " and " + kept.higher(requested)
                    : ": its versions run up to " + latest.getAsLong();
            throw new IllegalArgumentException(store.uri() + " has no version " + requested + why
                    + " (omit --version for the latest)");
        }
        return requested;
    }

    /** The manifest of a version. */
    public static SystemManifest.Loaded manifest(StateStore store, long version) {
        return SystemManifest.read(store, version);
    }

    /**
     * The task's best path in {@code system}.
     *
     * @throws IllegalArgumentException naming the task and the tasks the system has, when the task
     *     is unknown or none of its paths finished training
     */
    public static TaskPath bestPath(SystemManifest.Loaded system, String task) {
        Population population = system.population();
        if (!population.tasks().contains(task)) {
            throw new IllegalArgumentException("unknown task '" + task + "' in version " + system.version()
                    + ": the system's tasks are " + population.tasks());
        }
        TaskPath best = population.bestPath(task,
                p -> p.metrics().quality() == null ? Double.NEGATIVE_INFINITY : p.metrics().quality());
        if (best == null || best.metrics().quality() == null) {
            throw new IllegalArgumentException("task '" + task + "' has no finished path in version "
                    + system.version() + ": its first task iteration has not trained a candidate yet; predict"
                    + " with an earlier --version or after the run");
        }
        return best;
    }

    /** What a path is, without loading its weights. */
    public static TaskModelInfo info(StateStore store, SystemManifest.Loaded system, TaskPath path) {
        Population population = system.population();
        Hyperparams h = path.hparams();
        ModelDims dims = dims(population, path);
        VitConfig vit = VitConfig.of(dims, h);
        List<String> classes = system.state().classNames().get(path.task());
        int numClasses = h.getInt(HparamKeys.NUM_CLASSES);
        if (classes == null || classes.size() != numClasses) {
            classes = java.util.stream.IntStream.range(0, numClasses).mapToObj(Integer::toString).toList();
        }
        TreeSet<Integer> adapters = Architecture.adapterLayers(h.getString(HparamKeys.ADAPTER_LAYERS));
        return new TaskModelInfo(path.task(), store.uri().toString(), system.version(), path.id(), vit,
                new ArrayList<>(adapters), h.getInt(HparamKeys.ADAPTER_DIM), classes, path.metrics().testQuality(),
                path.metrics().testPredictionsSha256());
    }

    /**
     * Loads a path's components into {@code manager}, through {@code blocks}: a function from a
     * component (with its shapes' factory) to a frozen block, which may share blocks across models.
     */
    public static TaskModel load(StateStore store, SystemManifest.Loaded system, TaskPath path,
            BlockSource blocks) {
        TaskModelInfo info = info(store, system, path);
        ComponentFactory factory = new ComponentFactory(info.vit(), info.numClasses(), info.adapterDim());
        List<ComponentBlock> loaded = new ArrayList<>();
        try {
            for (long id : path.componentIds()) {
                Component c = system.population().component(id);
                loaded.add(blocks.obtain(c.sha256(), c.name(), factory,
                        () -> read(store, c)));
            }
            return new TaskModel(info, new PathModel(loaded), blocks::release);
        } catch (RuntimeException e) {
            blocks.release(loaded);
            throw e;
        }
    }

    /** A component's parameters, without its momentum (inference never needs it). */
    static HostComponent read(StateStore store, Component c) {
        byte[] bytes = store.readComponent(c.id(), c.sha256());
        HostComponent h = ComponentCodec.decode(bytes, store.layout().component(c.id()).toString());
        return new HostComponent(h.name(), h.parameters(), Map.of());
    }

    /**
     * The backbone dimensions of a path, from its components' recorded shapes: the patch
     * embedding's {@code [D, C, P, P]} and an encoder block's {@code block[D, mlp, heads]}.
     */
    static ModelDims dims(Population population, TaskPath path) {
        int[] embedding = null;
        int[] block = null;
        for (long id : path.componentIds()) {
            Component c = population.component(id);
            if (c.name().equals(ComponentNames.EMBEDDING)) {
                embedding = numbers(c.shape());
            } else if (block == null && c.name().startsWith(ComponentNames.ENCODER_BLOCK_PREFIX)) {
                block = numbers(c.shape());
            }
        }
        if (embedding == null || embedding.length != 4) {
            throw new IllegalStateException(path + " has no patch embedding of shape [D, C, P, P]");
        }
        int width = embedding[0];
        // A path without encoder blocks runs no attention: any head count that divides D will do.
        int mlp = block == null ? width : block[1];
        int heads = block == null ? 1 : block[2];
        return new ModelDims(embedding[2], embedding[1], width, mlp, heads);
    }

    private static int[] numbers(String shape) {
        String inner = shape.substring(shape.indexOf('[') + 1, shape.indexOf(']'));
        return java.util.Arrays.stream(inner.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    /** Where frozen blocks come from: a per-JVM cache by checksum, or fresh ones owned by one model. */
    public interface BlockSource {
        /**
         * @param sha256 the component file's checksum (the cache key)
         * @param name the component name
         * @param factory builds an empty block of the path's shapes
         * @param parameters reads the component's parameters when the block must be loaded
         */
        ComponentBlock obtain(String sha256, String name, ComponentFactory factory,
                java.util.function.Supplier<HostComponent> parameters);

        void release(List<ComponentBlock> blocks);
    }

    /** Blocks owned by one model, closed with it. */
    public static BlockSource owned(NDManager manager) {
        return new BlockSource() {
            @Override
            public ComponentBlock obtain(String sha256, String name, ComponentFactory factory,
                    java.util.function.Supplier<HostComponent> parameters) {
                ComponentBlock b = factory.create(name);
                b.load(manager, parameters.get());
                b.setTrainable(false);
                return b;
            }

            @Override
            public void release(List<ComponentBlock> blocks) {
                blocks.forEach(ComponentBlock::close);
            }
        };
    }
}
