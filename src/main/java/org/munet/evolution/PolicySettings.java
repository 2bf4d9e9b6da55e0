package org.munet.evolution;

import java.util.Set;
import org.munet.system.Hyperparams;
import org.munet.system.ModelDims;

/**
 * The knobs of the µ2Net policy for one experiment (spec §2-§3, §7).
 *
 * @param dims backbone dimensions
 * @param defaults the config's default hyperparameters (the root path's hparams)
 * @param searchSpace the auto-tune lists, possibly with a num_layers range
 * @param mutateAdapters whether children may gain residual adapters (spec §3.2)
 * @param forceFinetune components always cloned into trainable copies ({@code encoder_norm})
 * @param baseline the baselines' policy (spec §7): the parent is always the unique root,
 *     mutation decisions are deterministic (mu 0 or 1) and data hparams are the defaults
 */
public record PolicySettings(
        ModelDims dims,
        Hyperparams defaults,
        SearchSpace searchSpace,
        boolean mutateAdapters,
        Set<String> forceFinetune,
        boolean baseline) {

    /** The config's default mu, which drives data-hparam moves (spec §3.7). */
    public double defaultMu() {
        return defaults.getDouble(org.munet.system.HparamKeys.MU);
    }
}
