package org.munet.evolution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.munet.system.Population;
import org.munet.system.TaskPath;

/**
 * Parent sampling, µ2Net's {@code PPDecay} (spec §2.3): a path is accepted with probability
 * {@code 0.5 ^ (children it already had for this task)}; the task's own paths are tried best first,
 * then the seeds (other tasks' paths and the root) in their shuffled order, which rotates after every
 * accepted seed; if nobody is accepted, a uniform pick among both. Baselines always take the root.
 * Sampling changes nothing: the seed rotation comes back in the {@link Pick}'s population.
 */
public final class ParentSampler {

    private final Scorer scorer;
    private final boolean baseline;

    public ParentSampler(Scorer scorer, boolean baseline) {
        this.scorer = scorer;
        this.baseline = baseline;
    }

    /** A sampled parent and the population after sampling it (its seeds rotated past an accepted seed). */
    public record Pick(TaskPath parent, Population population) {}

    public Pick sample(Population population, String task, SplittableRandom rng) {
        if (baseline) {
            List<TaskPath> roots = population.roots();
            if (roots.size() != 1) {
                throw new IllegalStateException("baselines need exactly one root path, found " + roots.size());
            }
            return new Pick(roots.get(0), population);
        }
        List<TaskPath> own = new ArrayList<>(population.pathsOf(task));
        // Scores recompute accounted parameters from live locks: once per path, not per comparison.
        Map<Long, Double> scores = new HashMap<>();
        own.forEach(p -> scores.put(p.id(), scorer.score(population, p)));
        // Stable sort: equal scores keep insertion order (previous best first, then improved children).
        own.sort(Comparator.comparingDouble((TaskPath p) -> scores.get(p.id())).reversed());
        TaskPath parent = acceptFirst(own, task, rng);
        if (parent != null) {
            return new Pick(parent, population);
        }
        List<TaskPath> seeds = new ArrayList<>();
        for (long id : population.seeds()) {
            seeds.add(population.path(id));
        }
        parent = acceptFirst(seeds, task, rng);
        if (parent != null) {
            return new Pick(parent, population.withSeedsRotatedAfter(seeds.indexOf(parent)));
        }
        List<TaskPath> all = new ArrayList<>(own);
        all.addAll(seeds);
        if (all.isEmpty()) {
            throw new IllegalStateException("no path to sample a parent from for task " + task);
        }
        return new Pick(all.get(rng.nextInt(all.size())), population);
    }

    static TaskPath acceptFirst(List<TaskPath> candidates, String task, SplittableRandom rng) {
        for (TaskPath p : candidates) {
            int offspring = p.metrics().offspringsFor(task);
            if (rng.nextDouble() < Math.pow(0.5, offspring)) {
                return p;
            }
        }
        return null;
    }
}
