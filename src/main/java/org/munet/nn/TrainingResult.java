package org.munet.nn;

import java.util.List;

/**
 * What training one candidate produced (the reference's training metrics, spec §2.6).
 *
 * @param evals every validation accuracy, in order
 * @param quality the best of {@code evals}
 * @param improved whether some validation scored >= the starting best score; when true the
 *     trainable components hold the snapshot of the last such validation
 * @param bestValidation index into {@code evals} of the kept snapshot, or -1
 * @param steps optimizer steps taken
 * @param samples training examples consumed
 * @param trainSeconds wall time in training steps
 * @param evalSeconds wall time in validations
 */
public record TrainingResult(
        List<Double> evals,
        double quality,
        boolean improved,
        int bestValidation,
        int steps,
        long samples,
        double trainSeconds,
        double evalSeconds) {

    public double samplesPerSecond() {
        return trainSeconds > 0 ? samples / trainSeconds : 0;
    }
}
