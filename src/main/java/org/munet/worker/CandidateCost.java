package org.munet.worker;

import java.util.List;
import org.munet.evolution.ComponentPlan;
import org.munet.nn.VitConfig;
import org.munet.system.ComponentNames;

/**
 * A candidate's predicted training cost, from its plan alone, for scheduling: the runners start a
 * generation's candidates in an order that has the worker slots finish together ({@link StartOrder})
 * instead of one slot training the last long candidate while the others idle.
 *
 * <p>The unit is multiply-accumulates (approximate): every training step runs the whole path
 * forward, and backward from its lowest trainable component up (a frozen prefix needs no gradient:
 * a candidate that trains only its head costs about a third of one that trains its embedding); each
 * validation round runs the validation subset forward. Only ratios matter, as the start order
 * compares sums of costs, and the order changes where and when a candidate trains, never what it
 * computes (a candidate's result is a function of its plan alone), so a bad estimate costs wall
 * time, not bits.
 */
public final class CandidateCost {

    private CandidateCost() {}

    /** The predicted cost of training {@code plan}, in approximate multiply-accumulates. */
    public static double estimate(CandidatePlan plan) {
        List<ComponentPlan> components = plan.spec().components();
        double forward = 0;
        double backward = 0;
        boolean gradientFlows = false;
        for (ComponentPlan c : components) {
            double f = forwardPerExample(c.name(), plan);
            forward += f;
            gradientFlows |= c.trainable();
            if (gradientFlows) {
                // Above the lowest trainable component every layer passes gradients down (about one
                // forward's cost); a trainable one also computes its weights' gradients (another).
                backward += c.trainable() ? 2 * f : f;
            }
        }
        double trainExamples = (double) plan.budget().totalSteps() * plan.spec().batchSize();
        double validationExamples = (double) plan.budget().validations() * plan.spec().maxValidationExamples();
        return trainExamples * (forward + backward) + validationExamples * forward;
    }

    /**
     * The indices of {@code plans} in the order to start them on {@code slots} task slots, so that
     * the slots finish together by the predictions ({@link StartOrder}); on one slot, longest
     * predicted first. Ties go to the plans' own order, so the order is a function of the plans and
     * the slot count alone.
     */
    public static int[] startOrder(List<CandidatePlan> plans, int slots) {
        double[] cost = new double[plans.size()];
        for (int i = 0; i < cost.length; i++) {
            cost[i] = estimate(plans.get(i));
        }
        return StartOrder.of(cost, slots);
    }

    /** Multiply-accumulates of one example through component {@code name} (approximate). */
    static double forwardPerExample(String name, CandidatePlan plan) {
        VitConfig m = plan.model();
        double d = m.hiddenSize();
        double tokens = m.sequenceLength();
        switch (ComponentNames.kind(name)) {
            case ComponentNames.EMBEDDING:
                return (double) m.numPatches() * m.patchSize() * m.patchSize() * m.channels() * d;
            case ComponentNames.ENCODER_BLOCK_PREFIX:
                // q, k, v and output projections, the MLP's two layers, attention scores and mix.
                return tokens * (4 * d * d + 2 * d * m.mlpDim()) + 2 * tokens * tokens * d;
            case ComponentNames.ADAPTER_PREFIX:
                return tokens * 2 * d * plan.adapterDim();
            case ComponentNames.HEAD:
                return d * plan.numClasses();
            default:
                // class token, position embedding, layer norms: elementwise over the tokens.
                return tokens * d;
        }
    }
}
