package org.munet.worker;

import java.util.ArrayList;
import java.util.List;
import org.munet.data.DataHparams;
import org.munet.evolution.CandidateSpec;
import org.munet.evolution.ComponentPlan;
import org.munet.system.ComponentNames;

/**
 * What a candidate's frozen prefix computes over its training batches, as the driver can tell it
 * from the plan: two candidates of a generation with equal keys apply the same frozen components to
 * the same batches, so one's kept activations are what the other would compute ({@code nn.PrefixCache},
 * whose own key this mirrors: the prefix's components, whether it ends the encoder, the batch
 * stream's parameters and the intra-op thread count).
 *
 * <p>Only the decision whether to keep activations rests on it, never a value: a key that is unequal
 * where the worker's would be equal costs a recomputation, and one that is equal where the worker's
 * is not costs a kept copy nobody reads.
 *
 * @param components the ids of the leading frozen (shared) components, in path order
 * @param classTokenOnly whether the prefix ends the encoder (then it yields the class token only)
 */
record TrainingPrefix(String task, List<Long> components, boolean classTokenOnly, DataHparams data, long dataSeed,
        int batchSize, int channels, int threads) {

    /** The key of {@code plan}'s training prefix, or null when its first component trains (no prefix). */
    static TrainingPrefix of(CandidatePlan plan) {
        CandidateSpec spec = plan.spec();
        List<ComponentPlan> path = spec.components();
        List<Long> frozen = new ArrayList<>();
        while (frozen.size() < path.size() && !path.get(frozen.size()).trainable()) {
            frozen.add(path.get(frozen.size()).id());
        }
        if (frozen.isEmpty()) {
            return null;
        }
        // As PathModel: after the last encoder block only the class token is computed.
        int lastBlock = -1;
        for (int i = 0; i < path.size(); i++) {
            if (ComponentNames.kind(path.get(i).name()).equals(ComponentNames.ENCODER_BLOCK_PREFIX)) {
                lastBlock = i;
            }
        }
        return new TrainingPrefix(spec.task(), List.copyOf(frozen), lastBlock >= 0 && frozen.size() > lastBlock,
                plan.data(), spec.dataSeed(), spec.batchSize(), spec.dims().channels(), spec.threads());
    }
}
