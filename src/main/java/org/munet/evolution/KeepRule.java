package org.munet.evolution;

import java.io.Serializable;
import java.util.List;

/**
 * The keep rule for one candidate, computed once on the driver by {@link Scorer#keepRule} and
 * applied by the worker while it trains (which validation snapshot to keep) and again by the driver
 * on the returned validations, which must agree.
 *
 * @param penalty the candidate's score per unit of quality (spec §4)
 * @param scoreToBeat a validation is kept when its score is at least this (ties keep the later one)
 */
public record KeepRule(double penalty, double scoreToBeat) implements Serializable {

    public double score(double quality) {
        return quality * penalty;
    }

    public boolean keeps(double score) {
        return score >= scoreToBeat;
    }

    /** Whether any of these validation accuracies is kept: the candidate improved. */
    public boolean improved(List<Double> evals) {
        return evals.stream().anyMatch(q -> keeps(score(q)));
    }
}
