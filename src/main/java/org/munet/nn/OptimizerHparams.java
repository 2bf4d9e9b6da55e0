package org.munet.nn;

import org.munet.system.HparamKeys;
import org.munet.system.Hyperparams;
import org.munet.system.ReferenceDefaults;

/**
 * The optimizer hyperparameters of a path (spec §1.3 {@code opt_*} keys), each checked against its
 * key's range ({@link HparamKeys}).
 *
 * @param lr {@code opt_lr}, the peak learning rate
 * @param schedule {@code opt_lr_schedule}
 * @param warmupRatio {@code opt_lr_warmup_ratio}
 * @param momentum {@code opt_momentum}
 * @param nesterov {@code opt_nesterov}
 */
public record OptimizerHparams(
        double lr, LrSchedule schedule, double warmupRatio, double momentum, boolean nesterov)
        {

    public OptimizerHparams {
        HparamKeys.requireInRange(HparamKeys.OPT_LR, lr);
        HparamKeys.requireInRange(HparamKeys.OPT_MOMENTUM, momentum);
        HparamKeys.requireInRange(HparamKeys.OPT_LR_WARMUP_RATIO, warmupRatio);
    }

    /** The {@code opt_*} values of {@code h}. */
    public static OptimizerHparams of(Hyperparams h) {
        return new OptimizerHparams(h.getDouble(HparamKeys.OPT_LR),
                LrSchedule.fromKey(h.getString(HparamKeys.OPT_LR_SCHEDULE)),
                h.getDouble(HparamKeys.OPT_LR_WARMUP_RATIO), h.getDouble(HparamKeys.OPT_MOMENTUM),
                h.getBoolean(HparamKeys.OPT_NESTEROV));
    }

    /** The reference defaults for the small configs: lr 0.01, cosine, warmup 0.1, momentum 0.9. */
    public static OptimizerHparams defaults() {
        return of(ReferenceDefaults.hyperparams());
    }
}
