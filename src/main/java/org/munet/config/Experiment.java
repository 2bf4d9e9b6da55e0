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
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;

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
     * @param taskInfo resolves a task name to its class count and training-set size
     * @param baselineOverride a baseline name from the command line, or null to use the config's
     */
    public static Experiment resolve(EvolutionConfig c, String baselineOverride, Function<String, TaskSpec> taskInfo) {
        EvolutionConfig.Model m = Optional.ofNullable(c.model())
                .orElse(new EvolutionConfig.Model(null, null, null, null, null, null, null));
        EvolutionConfig.Evolution e = Optional.ofNullable(c.evolution())
                .orElse(new EvolutionConfig.Evolution(null, null, null, null, null, null, null, null, null));
        EvolutionConfig.Training t = Optional.ofNullable(c.training())
                .orElse(new EvolutionConfig.Training(null, null, null, null, null));
        if (c.tasks() == null || c.tasks().isEmpty()) {
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
                e.forceFinetune() == null ? List.of(Architecture.ENCODER_NORM) : e.forceFinetune());
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
                    force = new LinkedHashSet<>(List.of(Architecture.ENCODER_NORM));
                    for (int i = n; i < numLayers; i++) {
                        force.add(Architecture.BLOCK_PREFIX + i);
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
        space.checkDefaults(defaults);
        int rootLayers = numLayers;
        if (space.has(HparamKeys.NUM_LAYERS)) {
            for (Object v : space.ranges().get(HparamKeys.NUM_LAYERS)) {
                rootLayers = Math.max(rootLayers, (Integer) v);
            }
        }
        List<TaskSpec> tasks = new ArrayList<>();
        for (String name : c.tasks()) {
            tasks.add(taskInfo.apply(name));
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
