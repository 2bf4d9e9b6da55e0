package org.munet.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.munet.evolution.Baselines;
import org.munet.evolution.EngineSettings;
import org.munet.evolution.PolicySettings;
import org.munet.evolution.Scorer;
import org.munet.evolution.SearchSpace;
import org.munet.evolution.TaskSpec;
import org.munet.evolution.WorkerCaches;
import org.munet.system.CheckpointDims;
import org.munet.system.ComponentNames;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;
import org.munet.system.ReferenceDefaults;
import org.munet.system.TaskNames;

/**
 * A config with its defaults filled in and, if asked, turned into one of the baselines of spec §7
 * ({@link Baselines}). The model and hyperparameter defaults are {@link ReferenceDefaults}, the
 * search's and training's are below; {@code deploy/configs/reference.yaml} documents every key.
 * Each config section checks its own values ({@link EvolutionConfig}); what is checked here needs
 * the sections together.
 *
 * @param settings the engine's settings
 * @param rootLayers encoder blocks the root path holds (the default depth or the range's maximum; all
 *     of a pretrained checkpoint's blocks when the root is imported)
 * @param defaults the root path's hyperparameters
 */
public record Experiment(EngineSettings settings, int rootLayers, Hyperparams defaults, String baseline) {

    /**
     * @param taskInfo resolves a task name to its class count and training-set size; null to leave
     *     the tasks to a {@link org.munet.evolution.VisitSchedule} (the settings then hold none)
     * @param baselineOverride a baseline name from the command line, or null to use the config's
     */
    public static Experiment resolve(EvolutionConfig c, String baselineOverride, Function<String, TaskSpec> taskInfo) {
        return resolve(c, baselineOverride, taskInfo, null);
    }

    /**
     * @param root the dimensions of the pretrained checkpoint the root is imported from (they become
     *     the system's; explicit {@code model.*} keys must agree), or null for a random-init root
     */
    public static Experiment resolve(EvolutionConfig c, String baselineOverride, Function<String, TaskSpec> taskInfo,
            CheckpointDims root) {
        EvolutionConfig.Model m = Optional.ofNullable(c.model())
                .orElse(new EvolutionConfig.Model(null, null, null, null, null, null, null));
        EvolutionConfig.Evolution e = Optional.ofNullable(c.evolution())
                .orElse(new EvolutionConfig.Evolution(null, null, null, null, null, null, null, null, null));
        EvolutionConfig.Training t = Optional.ofNullable(c.training())
                .orElse(new EvolutionConfig.Training(null, null, null, null, null, null, null, null));
        if (taskInfo != null && (c.tasks() == null || c.tasks().isEmpty())) {
            throw new IllegalArgumentException("config lists no tasks: add e.g. 'tasks: [mnist, fashion_mnist]'");
        }
        ModelDims d = ReferenceDefaults.DIMS;
        ModelDims dims = root != null ? CheckpointModel.dims(m, root)
                : new ModelDims(or(m.patchSize(), d.patchSize()), or(m.channels(), d.channels()),
                        or(m.hiddenSize(), d.hiddenSize()), or(m.mlpDim(), d.mlpDim()), or(m.numHeads(), d.numHeads()));
        int imageSize = or(m.imageSize(), ReferenceDefaults.IMAGE_SIZE);
        dims.checkImageSize(imageSize);
        int numLayers = root != null ? CheckpointModel.numLayers(m, root, ReferenceDefaults.NUM_LAYERS)
                : or(m.numLayers(), ReferenceDefaults.NUM_LAYERS);

        Map<String, Object> h = ReferenceDefaults.hparams(imageSize, numLayers);
        if (c.hparams() != null) {
            for (Map.Entry<String, Object> kv : c.hparams().entrySet()) {
                if (kv.getKey().equals(HparamKeys.NUM_LAYERS) || kv.getKey().equals(HparamKeys.DS_IMAGE_SIZE)) {
                    throw new IllegalArgumentException("hparams." + kv.getKey() + " is set by model."
                            + (kv.getKey().equals(HparamKeys.NUM_LAYERS) ? "num_layers" : "image_size"));
                }
                h.put(kv.getKey(), kv.getValue());
            }
        }
        SearchSpace space = SearchSpace.named(or(e.autoTune(), "v2"));
        if (e.numLayersRange() != null && !e.numLayersRange().isEmpty()) {
            space = space.with(HparamKeys.NUM_LAYERS, new ArrayList<>(e.numLayersRange()));
        }
        Set<String> force = new LinkedHashSet<>(
                e.forceFinetune() == null ? List.of(ComponentNames.ENCODER_NORM) : e.forceFinetune());
        PolicySettings evolutionPolicy = new PolicySettings(dims, Hyperparams.of(h), space,
                or(e.mutateAdapters(), true), force, false);
        EngineSettings evolution = new EngineSettings(List.of(), evolutionPolicy, or(e.scoreBase(), 1.0),
                or(e.candidatesPerGeneration(), 2), or(e.samplesPerTask(), 4), or(e.taskIterations(), 2),
                or(t.batchSize(), 128), or(t.validations(), 3), or(t.maxTrainExamplesBetweenValidations(), 51200),
                or(t.maxValidationExamples(), 5120), c.seed() == null ? 0 : c.seed(),
                caches(t), or(t.threadsPerCandidate(), 1));

        String baseline = baselineOverride != null ? baselineOverride : or(e.baseline(), Baselines.NONE);
        EngineSettings run = Baselines.apply(baseline, evolution);
        Hyperparams defaults = run.policy().defaults();
        // A size_scale baseline's score base comes from its name, so it is checked after the baseline.
        Scorer.checkBase("evolution.score_base", run.scoreBase());
        checkHparams(defaults);
        run.policy().searchSpace().checkDefaults(defaults);
        int rootLayers = numLayers;
        if (run.policy().searchSpace().has(HparamKeys.NUM_LAYERS)) {
            for (Object v : run.policy().searchSpace().ranges().get(HparamKeys.NUM_LAYERS)) {
                rootLayers = Math.max(rootLayers, (Integer) v);
            }
        }
        if (root != null) {
            // A pretrained root holds every block of its checkpoint (spec §1.5).
            CheckpointModel.checkDepth(rootLayers, root);
            rootLayers = root.numLayers();
        }
        List<TaskSpec> tasks = new ArrayList<>();
        if (taskInfo != null) {
            TaskNames.checkNames(TaskEntry.names(c.tasks()), "config 'tasks'");
            for (String name : TaskEntry.names(c.tasks())) {
                tasks.add(taskInfo.apply(name));
            }
        }
        EngineSettings settings = new EngineSettings(tasks, run.policy(), run.scoreBase(),
                run.candidatesPerGeneration(), run.samplesPerTask(), run.taskIterations(), run.batchSize(),
                run.validations(), run.maxTrainExamplesBetweenValidations(), run.maxValidationExamples(), run.seed(),
                run.caches(), run.threadsPerCandidate());
        return new Experiment(settings, rootLayers, defaults, baseline);
    }

    /** The per-worker-JVM cache bounds ({@code training.*_cache_mb}). */
    private static WorkerCaches caches(EvolutionConfig.Training t) {
        WorkerCaches d = WorkerCaches.DEFAULTS;
        return new WorkerCaches(t.taskDataCacheMb() == null ? d.taskDataBytes() : (long) t.taskDataCacheMb() << 20,
                t.componentCacheMb() == null ? d.componentBytes() : (long) t.componentCacheMb() << 20,
                t.prefixCacheMb() == null ? d.prefixBytes() : (long) t.prefixCacheMb() << 20);
    }

    /**
     * The config's data directory: a Hadoop URI as written (it names the same data on every host),
     * or a local path made absolute.
     */
    public static String dataDir(EvolutionConfig c) {
        String dir = c.dataDir() == null ? "data" : c.dataDir();
        // A Hadoop URI (hdfs://, s3a://, file:) names the same data on every host; a local path is
        // made absolute here because executors resolve paths from their own working directories.
        if (dir.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            return dir;
        }
        return Path.of(dir).toAbsolutePath().normalize().toString();
    }

    /**
     * Every default hyperparameter in its key's range ({@link HparamKeys}), so that a value nn or
     * data cannot use (an unknown {@code opt_lr_schedule}, a negative {@code opt_lr}) is refused
     * here, naming the config key, before any runner starts.
     */
    private static void checkHparams(Hyperparams defaults) {
        for (Map.Entry<String, Object> kv : defaults.asMap().entrySet()) {
            Optional<String> problem = HparamKeys.violation(kv.getKey(), kv.getValue());
            if (problem.isPresent()) {
                throw new IllegalArgumentException("hparams." + problem.get());
            }
        }
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
