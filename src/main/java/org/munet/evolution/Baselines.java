package org.munet.evolution;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.munet.system.Architecture;
import org.munet.system.ComponentNames;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;

/**
 * The baselines of spec §7, as functions from the evolution's settings to the baseline's: the
 * config describes the µ2Net run, and a baseline is that run changed in a few named ways.
 */
public final class Baselines {

    /** The µ2Net evolution itself. */
    public static final String NONE = "none";

    private Baselines() {}

    /**
     * @param baseline {@code none}, {@code finetune_all}, {@code freeze_bottom:N}, {@code adapters:D}
     *     or {@code size_scale:N}
     * @param evolution the settings of the evolutionary run the baseline is compared with
     * @throws IllegalArgumentException for an unknown baseline or a missing number, naming the known ones
     */
    public static EngineSettings apply(String baseline, EngineSettings evolution) {
        String[] b = baseline.split(":", 2);
        PolicySettings p = evolution.policy();
        int numLayers = p.defaults().getInt(HparamKeys.NUM_LAYERS);
        switch (b[0]) {
            case NONE:
                return evolution;
            case "size_scale":
                return sizeScale(evolution, intArg(baseline, b) / 100.0, numLayers);
            case "finetune_all":
                return budgetMatched(evolution,
                        p.defaults().with(HparamKeys.MU, 1.0).with(HparamKeys.ADAPTER_LAYERS, ""), p.forceFinetune());
            case "freeze_bottom": {
                int n = intArg(baseline, b);
                Set<String> force = new LinkedHashSet<>(List.of(ComponentNames.ENCODER_NORM));
                for (int i = n; i < numLayers; i++) {
                    force.add(ComponentNames.encoderBlock(i));
                }
                return budgetMatched(evolution,
                        p.defaults().with(HparamKeys.MU, 0.0).with(HparamKeys.ADAPTER_LAYERS, ""), force);
            }
            case "adapters": {
                int d = intArg(baseline, b);
                List<Integer> all = new ArrayList<>();
                for (int i = 0; i < numLayers; i++) {
                    all.add(i);
                }
                return budgetMatched(evolution, p.defaults().with(HparamKeys.MU, 0.0).with(HparamKeys.ADAPTER_DIM, d)
                        .with(HparamKeys.ADAPTER_LAYERS, Architecture.encodeAdapterLayers(all)), p.forceFinetune());
            }
            default:
                throw new IllegalArgumentException("unknown baseline '" + baseline + "'; known: none, "
                        + "finetune_all, freeze_bottom:N, adapters:D, size_scale:N");
        }
    }

    /** The full evolution with a parameter-penalising score; enables layer removal. */
    private static EngineSettings sizeScale(EngineSettings e, double scoreBase, int numLayers) {
        PolicySettings p = e.policy();
        SearchSpace space = p.searchSpace();
        if (!space.has(HparamKeys.NUM_LAYERS)) {
            List<Object> range = new ArrayList<>();
            for (int i = 1; i <= numLayers; i++) {
                range.add(i);
            }
            space = space.with(HparamKeys.NUM_LAYERS, range);
        }
        PolicySettings policy = new PolicySettings(p.dims(), p.defaults(), space, p.mutateAdapters(),
                p.forceFinetune(), p.baseline());
        return new EngineSettings(e.tasks(), policy, scoreBase, e.candidatesPerGeneration(), e.samplesPerTask(),
                e.taskIterations(), e.batchSize(), e.validations(), e.maxTrainExamplesBetweenValidations(),
                e.maxValidationExamples(), e.seed(), e.caches(), e.threadsPerCandidate());
    }

    /**
     * A parameter-transfer baseline: the unique root as parent, no search, no adapters grown, and
     * budget matching (spec §7): one generation of D candidates per task, each as long as the whole
     * evolutionary budget of one worker slot.
     */
    private static EngineSettings budgetMatched(EngineSettings e, Hyperparams defaults, Set<String> force) {
        PolicySettings p = e.policy();
        PolicySettings policy = new PolicySettings(p.dims(), defaults, SearchSpace.none(), false, force, true);
        int validations = e.validations() * e.taskIterations() * e.generationsPerTask();
        return new EngineSettings(e.tasks(), policy, e.scoreBase(), e.candidatesPerGeneration(),
                e.candidatesPerGeneration(), 1, e.batchSize(), validations, e.maxTrainExamplesBetweenValidations(),
                e.maxValidationExamples(), e.seed(), e.caches(), e.threadsPerCandidate());
    }

    private static int intArg(String baseline, String[] parts) {
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("baseline '" + baseline + "' needs a number, e.g. "
                    + parts[0] + ":2", ex);
        }
    }
}
