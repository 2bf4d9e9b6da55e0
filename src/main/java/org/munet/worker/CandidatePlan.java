package org.munet.worker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.munet.data.DataHparams;
import org.munet.evolution.CandidateSpec;
import org.munet.nn.ComponentFactory;
import org.munet.nn.OptimizerHparams;
import org.munet.nn.TrainingBudget;
import org.munet.nn.VitConfig;
import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;

/**
 * A candidate as a worker trains it: the engine's spec with its hyperparameters already turned into
 * the typed settings of nn and data. The runners build plans on the driver, so a value that nn or
 * data cannot use fails there, once, before any executor starts on it; the worker reads only typed
 * values, never the spec's hyperparameter map.
 *
 * @param spec the engine's spec: task, component plans, seeds, batch size, score inputs, threads
 * @param model the path's backbone ({@code ds_image_size}, {@code num_layers} on the system's dims)
 * @param numClasses {@code num_classes}, the head's width
 * @param adapterDim {@code adapter_dim}, the residual adapters' width
 * @param optimizer the {@code opt_*} settings
 * @param data the {@code ds_*} settings of training batches
 * @param budget V rounds of Nb steps
 * @param prefixShared whether another candidate of the generation applies the same frozen prefix
 *     to the same training batches ({@link TrainingPrefix}): only then are the activations of this
 *     one's training batches worth keeping in the prefix cache, since a generation's training stream
 *     is read by its own candidates only (the data seed is the generation's). Keeping a copy nobody
 *     reads costs a copy per step and fresh native memory, a few percent of such a candidate's
 *     training (docs/speed.md, "What is kept").
 */
public record CandidatePlan(CandidateSpec spec, VitConfig model, int numClasses, int adapterDim,
        OptimizerHparams optimizer, DataHparams data, TrainingBudget budget, boolean prefixShared) {

    /** A candidate planned alone: nothing else of its generation is known, so nothing shares its prefix. */
    public static CandidatePlan of(CandidateSpec spec) {
        Hyperparams h = Hyperparams.of(spec.hparams());
        return new CandidatePlan(spec, VitConfig.of(spec.dims(), h), h.getInt(HparamKeys.NUM_CLASSES),
                h.getInt(HparamKeys.ADAPTER_DIM), OptimizerHparams.of(h), DataHparams.of(h),
                new TrainingBudget(spec.validations(), spec.stepsPerValidation()), false);
    }

    /** One generation's plans, in the specs' order, each told whether another shares its training prefix. */
    public static List<CandidatePlan> of(List<CandidateSpec> specs) {
        List<CandidatePlan> alone = specs.stream().map(CandidatePlan::of).toList();
        List<TrainingPrefix> keys = alone.stream().map(TrainingPrefix::of).toList(); // null: no prefix
        Map<TrainingPrefix, Integer> readers = new HashMap<>();
        keys.stream().filter(Objects::nonNull).forEach(k -> readers.merge(k, 1, Integer::sum));
        List<CandidatePlan> plans = new ArrayList<>();
        for (int i = 0; i < alone.size(); i++) {
            TrainingPrefix key = keys.get(i);
            plans.add(alone.get(i).withPrefixShared(key != null && readers.get(key) > 1));
        }
        return List.copyOf(plans);
    }

    private CandidatePlan withPrefixShared(boolean shared) {
        return new CandidatePlan(spec, model, numClasses, adapterDim, optimizer, data, budget, shared);
    }

    /** Creates the path's fresh components with the shapes this plan gives them. */
    public ComponentFactory componentFactory() {
        return new ComponentFactory(model, numClasses, adapterDim);
    }
}
