package org.munet.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.munet.evolution.EngineSettings;
import org.munet.evolution.PolicySettings;
import org.munet.evolution.SearchSpace;
import org.munet.evolution.TaskSpec;
import org.munet.system.Architecture;
import org.munet.system.ComponentNames;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;
import org.munet.system.Tasks;

/**
 * A config with its defaults filled in and, if asked, turned into one of the baselines of spec §7.
 * The defaults are the reference's small-config values except where a comment says otherwise;
 * {@code deploy/configs/reference.yaml} documents every key.
 *
 * @param settings the engine's settings
 * @param rootLayers encoder blocks the root path holds (the default depth or the range's maximum)
 * @param defaults the root path's hyperparameters
 */
public record Experiment(EngineSettings settings, int rootLayers, Hyperparams defaults, String baseline) {

    /**
     * @param taskInfo resolves a task name to its class count and training-set size; null to leave
     *     the tasks to a {@link org.munet.evolution.VisitSchedule} (the settings then hold none)
     * @param baselineOverride a baseline name from the command line, or null to use the config's
     */
    public static Experiment resolve(EvolutionConfig c, String baselineOverride, Function<String, TaskSpec> taskInfo) {
        EvolutionConfig.Model m = Optional.ofNullable(c.model())
                .orElse(new EvolutionConfig.Model(null, null, null, null, null, null, null));
        EvolutionConfig.Evolution e = Optional.ofNullable(c.evolution())
                .orElse(new EvolutionConfig.Evolution(null, null, null, null, null, null, null, null, null));
        EvolutionConfig.Training t = Optional.ofNullable(c.training())
                .orElse(new EvolutionConfig.Training(null, null, null, null, null));
        if (taskInfo != null && (c.tasks() == null || c.tasks().isEmpty())) {
            throw new IllegalArgumentException("config lists no tasks: add e.g. 'tasks: [mnist, fashion_mnist]'");
        }
        ModelDims dims = new ModelDims(or(m.patchSize(), 7), or(m.channels(), 1), or(m.hiddenSize(), 64),
                or(m.mlpDim(), 128), or(m.numHeads(), 4));
        int imageSize = or(m.imageSize(), 28);
        int numLayers = or(m.numLayers(), 3);

        Map<String, Object> h = referenceDefaults(imageSize, numLayers);
        if (c.hparams() != null) {
            for (Map.Entry<String, Object> kv : c.hparams().entrySet()) {
                if (kv.getKey().equals(HparamKeys.NUM_LAYERS) || kv.getKey().equals(HparamKeys.DS_IMAGE_SIZE)) {
                    throw new IllegalArgumentException("hparams." + kv.getKey() + " is set by model."
                            + (kv.getKey().equals(HparamKeys.NUM_LAYERS) ? "num_layers" : "image_size"));
                }
                h.put(kv.getKey(), kv.getValue());
            }
        }
        Hyperparams defaults = Hyperparams.of(h);
        SearchSpace space = SearchSpace.named(or(e.autoTune(), "v2"));
        if (e.numLayersRange() != null && !e.numLayersRange().isEmpty()) {
            space = space.with(HparamKeys.NUM_LAYERS, new ArrayList<>(e.numLayersRange()));
        }
        boolean mutateAdapters = or(e.mutateAdapters(), true);
        LinkedHashSet<String> force = new LinkedHashSet<>(
                e.forceFinetune() == null ? List.of(ComponentNames.ENCODER_NORM) : e.forceFinetune());
        double scoreBase = or(e.scoreBase(), 1.0);
        int candidates = or(e.candidatesPerGeneration(), 2);
        int samples = or(e.samplesPerTask(), 4);
        int iterations = or(e.taskIterations(), 2);
        int validations = or(t.validations(), 3);
        boolean ppBaseline = false;

        String baseline = baselineOverride != null ? baselineOverride : or(e.baseline(), "none");
        String[] b = baseline.split(":", 2);
        switch (b[0]) {
            case "none":
                break;
            case "size_scale":
                // The full evolution with a parameter-penalising score; enables layer removal.
                scoreBase = intArg(baseline, b) / 100.0;
                if (!space.has(HparamKeys.NUM_LAYERS)) {
                    List<Object> range = new ArrayList<>();
                    for (int i = 1; i <= numLayers; i++) {
                        range.add(i);
                    }
                    space = space.with(HparamKeys.NUM_LAYERS, range);
                }
                break;
            case "finetune_all":
            case "freeze_bottom":
            case "adapters":
                ppBaseline = true;
                // Budget matching (spec §7): one generation of D candidates per task, each as long
                // as the whole evolutionary budget of one worker slot.
                int generations = (samples + candidates - 1) / candidates;
                validations = validations * iterations * generations;
                iterations = 1;
                samples = candidates;
                space = SearchSpace.none();
                mutateAdapters = false;
                if (b[0].equals("finetune_all")) {
                    defaults = defaults.with(HparamKeys.MU, 1.0).with(HparamKeys.ADAPTER_LAYERS, "");
                } else if (b[0].equals("freeze_bottom")) {
                    int n = intArg(baseline, b);
                    defaults = defaults.with(HparamKeys.MU, 0.0).with(HparamKeys.ADAPTER_LAYERS, "");
                    force = new LinkedHashSet<>(List.of(ComponentNames.ENCODER_NORM));
                    for (int i = n; i < numLayers; i++) {
                        force.add(ComponentNames.ENCODER_BLOCK_PREFIX + i);
                    }
                } else {
                    int d = intArg(baseline, b);
                    List<Integer> all = new ArrayList<>();
                    for (int i = 0; i < numLayers; i++) {
                        all.add(i);
                    }
                    defaults = defaults.with(HparamKeys.MU, 0.0).with(HparamKeys.ADAPTER_DIM, d)
                            .with(HparamKeys.ADAPTER_LAYERS, Architecture.encodeAdapterLayers(all));
                }
                break;
            default:
                throw new IllegalArgumentException("unknown baseline '" + baseline + "'; known: none, "
                        + "finetune_all, freeze_bottom:N, adapters:D, size_scale:N");
        }
        checkRanges(m, e, t, defaults, scoreBase);
        space.checkDefaults(defaults);
        int rootLayers = numLayers;
        if (space.has(HparamKeys.NUM_LAYERS)) {
            for (Object v : space.ranges().get(HparamKeys.NUM_LAYERS)) {
                rootLayers = Math.max(rootLayers, (Integer) v);
            }
        }
        List<TaskSpec> tasks = new ArrayList<>();
        if (taskInfo != null) {
            Tasks.checkNames(c.tasks(), "config 'tasks'");
            for (String name : c.tasks()) {
                tasks.add(taskInfo.apply(name));
            }
        }
        PolicySettings policy = new PolicySettings(dims, defaults, space, mutateAdapters, force, ppBaseline);
        EngineSettings settings = new EngineSettings(tasks, policy, scoreBase, candidates, samples, iterations,
                or(t.batchSize(), 128), validations, or(t.maxTrainExamplesBetweenValidations(), 51200),
                or(t.maxValidationExamples(), 5120), c.seed() == null ? 0 : c.seed(),
                dataDir(c), or(t.threadsPerCandidate(), 1));
        return new Experiment(settings, rootLayers, defaults, baseline);
    }

    /**
     * The reference's default hyperparameters for the small configs (spec §8.2), for a backbone of
     * the given image size and depth; a config's {@code hparams} section overrides any of them.
     */
    public static Map<String, Object> referenceDefaults(int imageSize, int numLayers) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put(HparamKeys.MU, 0.2);
        h.put(HparamKeys.NUM_CLASSES, 2); // the root's head is never reused (spec §1.5)
        h.put(HparamKeys.ADAPTER_LAYERS, "");
        h.put(HparamKeys.NUM_LAYERS, numLayers);
        h.put(HparamKeys.ADAPTER_DIM, 16);
        h.put(HparamKeys.OPT_LR, 0.01);
        h.put(HparamKeys.OPT_LR_SCHEDULE, "cosine");
        h.put(HparamKeys.OPT_LR_WARMUP_RATIO, 0.1);
        h.put(HparamKeys.OPT_MOMENTUM, 0.9);
        h.put(HparamKeys.OPT_NESTEROV, false);
        h.put(HparamKeys.DS_IMAGE_SIZE, imageSize);
        h.put(HparamKeys.DS_CROP, true);
        h.put(HparamKeys.DS_AREA_RANGE_MIN, 0.05);
        h.put(HparamKeys.DS_ASPECT_RATIO_RANGE_MIN, 0.75);
        h.put(HparamKeys.DS_FLIP_LEFT_RIGHT, true);
        h.put(HparamKeys.DS_BRIGHTNESS_DELTA, 0.0);
        h.put(HparamKeys.DS_CONTRAST_DELTA, 0.0);
        h.put(HparamKeys.DS_SATURATION_DELTA, 0.0);
        h.put(HparamKeys.DS_HUE_DELTA, 0.0);
        return h;
    }

    /**
     * The config's data directory as an absolute path: workers (Spark executors) resolve paths from
     * their own working directories. On a multi-host cluster it must name the same data on every
     * node (a shared mount).
     */
    public static String dataDir(EvolutionConfig c) {
        return Path.of(c.dataDir() == null ? "data" : c.dataDir()).toAbsolutePath().normalize().toString();
    }

    /**
     * Values a YAML type check lets through but the engine cannot use: each error names the key,
     * the value and the allowed range, before anything is written.
     */
    private static void checkRanges(EvolutionConfig.Model m, EvolutionConfig.Evolution e,
            EvolutionConfig.Training t, Hyperparams defaults, double scoreBase) {
        atLeast("model.image_size", m.imageSize(), 1);
        atLeast("model.patch_size", m.patchSize(), 1);
        atLeast("model.hidden_size", m.hiddenSize(), 1);
        atLeast("model.mlp_dim", m.mlpDim(), 1);
        atLeast("model.num_heads", m.numHeads(), 1);
        atLeast("model.num_layers", m.numLayers(), 1);
        atLeast("evolution.candidates_per_generation", e.candidatesPerGeneration(), 1);
        atLeast("evolution.samples_per_task", e.samplesPerTask(), 1);
        atLeast("evolution.task_iterations", e.taskIterations(), 1);
        atLeast("training.batch_size", t.batchSize(), 1);
        atLeast("training.validations", t.validations(), 1);
        atLeast("training.max_train_examples_between_validations", t.maxTrainExamplesBetweenValidations(), 1);
        atLeast("training.max_validation_examples", t.maxValidationExamples(), 1);
        atLeast("training.threads_per_candidate", t.threadsPerCandidate(), 1);
        if (!(scoreBase > 0 && scoreBase <= 1)) {
            throw new IllegalArgumentException("evolution.score_base must be in (0, 1], got " + scoreBase);
        }
        int imageSize = m.imageSize() == null ? 28 : m.imageSize();
        int patch = m.patchSize() == null ? 7 : m.patchSize();
        if (imageSize % patch != 0) {
            throw new IllegalArgumentException("model.image_size (" + imageSize + ") must be a multiple of"
                    + " model.patch_size (" + patch + ")");
        }
        int hidden = m.hiddenSize() == null ? 64 : m.hiddenSize();
        int heads = m.numHeads() == null ? 4 : m.numHeads();
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("model.hidden_size (" + hidden + ") must be a multiple of"
                    + " model.num_heads (" + heads + ")");
        }
        double lr = defaults.getDouble(HparamKeys.OPT_LR);
        if (!(lr > 0 && Double.isFinite(lr))) {
            throw new IllegalArgumentException("hparams.opt_lr must be a positive number, got " + lr);
        }
        inUnit("hparams.opt_momentum", defaults.getDouble(HparamKeys.OPT_MOMENTUM), false);
        inUnit("hparams.opt_lr_warmup_ratio", defaults.getDouble(HparamKeys.OPT_LR_WARMUP_RATIO), false);
        inUnit("hparams._mu_", defaults.getDouble(HparamKeys.MU), true);
        atLeast("hparams.adapter_dim", defaults.getInt(HparamKeys.ADAPTER_DIM), 1);
    }

    private static void atLeast(String key, Integer value, int min) {
        if (value != null && value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
        }
    }

    private static void inUnit(String key, double value, boolean closed) {
        if (!(value >= 0 && (closed ? value <= 1 : value < 1))) {
            throw new IllegalArgumentException(key + " must be in [0, 1" + (closed ? "]" : ")") + ", got " + value);
        }
    }

    private static int intArg(String baseline, String[] parts) {
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("baseline '" + baseline + "' needs a number, e.g. "
                    + parts[0] + ":2", ex);
        }
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
