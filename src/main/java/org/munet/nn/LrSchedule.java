package org.munet.nn;

import java.util.Arrays;
import java.util.Locale;

/**
 * The reference's learning-rate schedules (spec §2.5), as functions of the step within one
 * candidate's training of {@code validations x stepsPerValidation} steps. The step count restarts
 * at 0 for every candidate.
 */
public enum LrSchedule {
    /** {@code 0.5 * lr} throughout: halved so that its average matches the decaying schedules. */
    CONSTANT,
    /**
     * optax warmup_cosine_decay_schedule: linear warmup from lr/100 to lr over
     * {@code int(warmupRatio * T)} steps, then cosine decay to 0 at step T.
     */
    COSINE,
    /** SGDR: one warmup-cosine cycle (warmup {@code int(warmupRatio * Nb)}) per validation. */
    RESTARTS;

    /** Learning rate at {@code step} (0-based). */
    public double at(int step, double lr, double warmupRatio, int validations, int stepsPerValidation) {
        switch (this) {
            case CONSTANT:
                return 0.5 * lr;
            case COSINE:
                int total = validations * stepsPerValidation;
                return warmupCosine(step, lr, (int) (warmupRatio * total), total);
            case RESTARTS:
                int cycleStep = step % stepsPerValidation;
                return warmupCosine(cycleStep, lr, (int) (warmupRatio * stepsPerValidation),
                        stepsPerValidation);
            default:
                throw new AssertionError(this);
        }
    }

    /** The value {@code opt_lr_schedule} takes in configs and hparams. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LrSchedule fromKey(String key) {
        for (LrSchedule s : values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown opt_lr_schedule '" + key + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(LrSchedule::key).toList()));
    }

    static double warmupCosine(int step, double peak, int warmupSteps, int decaySteps) {
        double init = peak / 100;
        if (step < warmupSteps) {
            return init + (peak - init) * step / warmupSteps;
        }
        int span = decaySteps - warmupSteps;
        if (span <= 0) {
            return 0;
        }
        double progress = Math.min(step - warmupSteps, span) / (double) span;
        return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
