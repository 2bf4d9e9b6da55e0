package org.munet.evolution;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * The µ2Net score and keep rule (spec §4), in one place: {@code quality x base ^ (accountedParams /
 * rootParams)}, and a candidate is kept when a validation scores at least the score to beat. With
 * base 1 (every "muNet" configuration) the score is validation accuracy. Accounted parameters share
 * each component's size among the tasks that use it and are recomputed from the live locks on every
 * call, so a path's score rises when another task adopts its components. Workers apply the rule
 * through the {@link KeepRule} the driver computes here for each candidate.
 */
public final class Scorer {

    private final double base;
    private final long rootParams;

    public Scorer(double base, long rootParams) {
        checkBase("score base", base);
        this.base = base;
        this.rootParams = rootParams;
    }

    /** A base outside (0, 1] would reward parameters or zero every score: refused, naming {@code what}. */
    public static void checkBase(String what, double base) {
        if (!(base > 0 && base <= 1)) {
            throw new IllegalArgumentException(what + " must be in (0, 1], got " + base);
        }
    }

    /** |c| / |(locks(c) + task) - NOT_TRAINABLE| summed over the components. */
    public static double accountedParams(List<Component> components, String task) {
        double sum = 0;
        for (Component c : components) {
            Set<String> owners = new HashSet<>(c.locks());
            owners.add(task);
            owners.remove(Component.NOT_TRAINABLE);
            sum += owners.isEmpty() ? Double.NaN : c.parameterCount() / (double) owners.size();
        }
        return sum;
    }

    public double accountedParams(Population population, TaskPath path) {
        return accountedParams(population.componentsOf(path), path.task());
    }

    /** The factor a quality is multiplied by at a given accounted parameter count (1 with base 1). */
    public double penalty(double accountedParams) {
        return base == 1.0 ? 1.0 : Math.pow(base, accountedParams / rootParams);
    }

    /** The score of a quality at a given accounted parameter count; NaN quality gives NaN. */
    public double score(double quality, double accountedParams) {
        return quality * penalty(accountedParams);
    }

    /** A live path's score, or negative infinity when it has no quality (the root). */
    public double score(Population population, TaskPath path) {
        Double q = path.metrics().quality();
        if (q == null || q.isNaN() || path.isRoot()) {
            return Double.NEGATIVE_INFINITY;
        }
        return score(q, accountedParams(population, path));
    }

    /**
     * What a worker needs to judge a candidate: its penalty under the current locks and the score it
     * must reach, its parent's for a same-task parent (spec §2.5), else negative infinity.
     */
    public KeepRule keepRule(Population population, TaskPath parent, String task, double accountedParams) {
        double toBeat = parent.task().equals(task) ? score(population, parent) : Double.NEGATIVE_INFINITY;
        return new KeepRule(penalty(accountedParams), toBeat);
    }
}
