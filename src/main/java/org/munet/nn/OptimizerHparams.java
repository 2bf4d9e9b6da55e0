package org.munet.nn;

/**
 * The optimizer hyperparameters of a path (spec §1.3 {@code opt_*} keys).
 *
 * @param lr {@code opt_lr}, the peak learning rate
 * @param schedule {@code opt_lr_schedule}
 * @param warmupRatio {@code opt_lr_warmup_ratio}
 * @param momentum {@code opt_momentum}
 * @param nesterov {@code opt_nesterov}
 */
public record OptimizerHparams(
        double lr, LrSchedule schedule, double warmupRatio, double momentum, boolean nesterov) {

    public OptimizerHparams {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("opt_lr must be a positive number, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("opt_momentum must be in [0, 1), got " + momentum);
        }
        if (!(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new IllegalArgumentException("opt_lr_warmup_ratio must be in [0, 1), got " + warmupRatio);
        }
    }

    /** The reference defaults for the small configs: lr 0.01, cosine, warmup 0.1, momentum 0.9. */
    public static OptimizerHparams defaults() {
        return new OptimizerHparams(0.01, LrSchedule.COSINE, 0.1, 0.9, false);
    }
}
