package org.munet.evolution;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * The µ2Net score (spec §4): {@code quality x base ^ (accountedParams / rootParams)}. With base 1
 * (every "muNet" configuration) the score is validation accuracy. Accounted parameters share each
 * component's size among the tasks that use it and are recomputed from the live locks on every call,
 * so a path's score rises when another task adopts its components.
 */
public final class Scorer {

    private final double base;
    private final long rootParams;

    public Scorer(double base, long rootParams) {
        if (!(base > 0 && base <= 1)) {
            throw new IllegalArgumentException("score base must be in (0, 1], got " + base);
        }
        this.base = base;
        this.rootParams = rootParams;
    }

    public long rootParams() {
        return rootParams;
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

    /** The score of a quality at a given accounted parameter count; NaN quality gives NaN. */
    public double score(double quality, double accountedParams) {
        if (base == 1.0) {
            return quality;
        }
        return quality * Math.pow(base, accountedParams / rootParams);
    }

    /** A live path's score, or negative infinity when it has no quality (the root). */
    public double score(Population population, TaskPath path) {
        Double q = path.metrics().quality;
        if (q == null || q.isNaN() || path.isRoot()) {
            return Double.NEGATIVE_INFINITY;
        }
        return score(q, accountedParams(population, path));
    }
}
