package org.munet.worker;

import java.util.List;
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
 */
public record CandidatePlan(CandidateSpec spec, VitConfig model, int numClasses, int adapterDim,
        OptimizerHparams optimizer, DataHparams data, TrainingBudget budget) {

    public static CandidatePlan of(CandidateSpec spec) {
        Hyperparams h = Hyperparams.of(spec.hparams());
        return new CandidatePlan(spec, VitConfig.of(spec.dims(), h), h.getInt(HparamKeys.NUM_CLASSES),
                h.getInt(HparamKeys.ADAPTER_DIM), OptimizerHparams.of(h), DataHparams.of(h),
                new TrainingBudget(spec.validations(), spec.stepsPerValidation()));
    }

    /** One generation's plans, in the specs' order. */
    public static List<CandidatePlan> of(List<CandidateSpec> specs) {
        return specs.stream().map(CandidatePlan::of).toList();
    }

    /** Creates the path's fresh components with the shapes this plan gives them. */
    public ComponentFactory componentFactory() {
        return new ComponentFactory(model, numClasses, adapterDim);
    }
}
