package org.munet.evolution;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What training a candidate produced: small numbers plus the checksums of the trainable
 * components it staged in the store (only when it improved; nothing is staged otherwise).
 *
 * @param pathId the candidate's path id
 * @param evals every validation accuracy
 * @param quality the best of {@code evals}, or NaN when training failed
 * @param improved whether a validation scored >= the initial best score (the keep rule)
 * @param stagedSha256 component id to checksum of its staged file, for trainable components
 * @param trainSeconds wall time of training and validation (the reference's train_time)
 * @param workerSeconds wall time of the whole worker call: training plus obtaining components and
 *     data and staging outputs (the difference is per-candidate overhead)
 * @param failure why training failed (e.g. divergence), or null
 */
public record CandidateResult(
        long pathId,
        List<Double> evals,
        double quality,
        boolean improved,
        Map<Long, String> stagedSha256,
        double trainSeconds,
        double workerSeconds,
        String failure) implements Serializable {

    public static CandidateResult failed(long pathId, String why, double seconds) {
        return new CandidateResult(pathId, List.of(), Double.NaN, false, Map.of(), seconds, seconds, why);
    }
}
