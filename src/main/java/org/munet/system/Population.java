package org.munet.system;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The live system (spec §1.6): every live path and component, the live paths per task, the seed
 * list of the current task and the id counters. A value: every change returns a new population and
 * leaves this one as it was, so a generation is a function of the population it starts from.
 * Insertion order is kept everywhere (ties in parent sampling and the manifest's order depend on it).
 */
public final class Population {

    private final Map<Long, Component> components;
    private final Map<Long, TaskPath> paths;
    private final List<Long> seeds;
    /** Tasks in the order their first path entered (the leaderboard's order); the root's included. */
    private final List<String> taskOrder;
    private final long nextPathId;
    private final long nextComponentId;

    /**
     * The maps are never changed after they are passed in: a change copies the map it edits and
     * shares the others with the population it came from.
     */
    private Population(Map<Long, Component> components, Map<Long, TaskPath> paths, List<Long> seeds,
            List<String> taskOrder, long nextPathId, long nextComponentId) {
        this.components = Collections.unmodifiableMap(components);
        this.paths = Collections.unmodifiableMap(paths);
        this.seeds = List.copyOf(seeds);
        this.taskOrder = List.copyOf(taskOrder);
        this.nextPathId = nextPathId;
        this.nextComponentId = nextComponentId;
    }

    /** A population with nothing in it, handing out ids from the given counters. */
    public static Population empty(long nextPathId, long nextComponentId) {
        return new Population(new LinkedHashMap<>(), new LinkedHashMap<>(), List.of(), List.of(), nextPathId,
                nextComponentId);
    }

    /**
     * A population read back from a manifest, built in one pass (adding entries one at a time copies the
     * maps each time, which is quadratic for a system of thousands of components). The checks are
     * {@link #withComponent} and {@link #withPath}'s: no id twice, and every path's components live.
     */
    public static Population restore(List<Component> components, List<TaskPath> paths, List<Long> seeds,
            long nextPathId, long nextComponentId) {
        Map<Long, Component> byId = new LinkedHashMap<>();
        long nextComponent = nextComponentId;
        for (Component c : components) {
            if (byId.put(c.id(), c) != null) {
                throw new IllegalStateException("component " + c.id() + " already in the population");
            }
            nextComponent = Math.max(nextComponent, c.id() + 1);
        }
        Map<Long, TaskPath> pathsById = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        Set<String> tasks = new HashSet<>();
        long nextPath = nextPathId;
        for (TaskPath p : paths) {
            for (long id : p.componentIds()) {
                if (!byId.containsKey(id)) {
                    throw new IllegalStateException(p + " references component " + id + ", which is not live");
                }
            }
            if (pathsById.put(p.id(), p) != null) {
                throw new IllegalStateException(p + " already in the population");
            }
            if (tasks.add(p.task())) {
                order.add(p.task());
            }
            nextPath = Math.max(nextPath, p.id() + 1);
        }
        return new Population(byId, pathsById, seeds, order, nextPath, nextComponent);
    }

    /** The id the next new path gets. */
    public long nextPathId() {
        return nextPathId;
    }

    /** The id the next new component gets. */
    public long nextComponentId() {
        return nextComponentId;
    }

    /** This population with ids below the given counters handed out (they only ever rise). */
    public Population withIdsUsedBelow(long pathId, long componentId) {
        return new Population(components, paths, seeds, taskOrder,
                Math.max(nextPathId, pathId), Math.max(nextComponentId, componentId));
    }

    public Population withComponent(Component c) {
        if (components.containsKey(c.id())) {
            throw new IllegalStateException("component " + c.id() + " already in the population");
        }
        Map<Long, Component> next = new LinkedHashMap<>(components);
        next.put(c.id(), c);
        return new Population(next, paths, seeds, taskOrder, nextPathId,
                Math.max(nextComponentId, c.id() + 1));
    }

    /** Adds a live path; its components must already be present. */
    public Population withPath(TaskPath p) {
        for (long id : p.componentIds()) {
            if (!components.containsKey(id)) {
                throw new IllegalStateException(p + " references component " + id + ", which is not live");
            }
        }
        if (paths.containsKey(p.id())) {
            throw new IllegalStateException(p + " already in the population");
        }
        Map<Long, TaskPath> next = new LinkedHashMap<>(paths);
        next.put(p.id(), p);
        List<String> order = new ArrayList<>(taskOrder);
        if (!order.contains(p.task())) {
            order.add(p.task());
        }
        return new Population(components, next, seeds, order,
                Math.max(nextPathId, p.id() + 1), nextComponentId);
    }

    /** Replaces a live path by a new value of itself (same id, task and components; new metrics). */
    public Population withUpdatedPath(TaskPath p) {
        TaskPath old = path(p.id());
        if (!old.task().equals(p.task()) || !old.componentIds().equals(p.componentIds())) {
            throw new IllegalArgumentException(p + " is not an update of " + old + ": task or components differ");
        }
        Map<Long, TaskPath> next = new LinkedHashMap<>(paths);
        next.put(p.id(), p);
        return new Population(components, next, seeds, taskOrder, nextPathId, nextComponentId);
    }

    public Population withSeeds(List<Long> ids) {
        return new Population(components, paths, ids, taskOrder,
                nextPathId, nextComponentId);
    }

    /** Adds a task's lock to a component, as a task adopting it at its end does. */
    public Population withLock(long componentId, String task) {
        Map<Long, Component> next = new LinkedHashMap<>(components);
        next.put(componentId, component(componentId).withLock(task));
        return new Population(next, paths, seeds, taskOrder, nextPathId, nextComponentId);
    }

    public Component component(long id) {
        Component c = components.get(id);
        if (c == null) {
            throw new IllegalArgumentException("no live component " + id);
        }
        return c;
    }

    public TaskPath path(long id) {
        TaskPath p = paths.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no live path " + id);
        }
        return p;
    }

    public boolean hasPath(long id) {
        return paths.containsKey(id);
    }

    public List<TaskPath> paths() {
        return new ArrayList<>(paths.values());
    }

    public List<Component> components() {
        return new ArrayList<>(components.values());
    }

    /** Live paths of a task in insertion order (the order ties keep, spec §2.3). */
    public List<TaskPath> pathsOf(String task) {
        List<TaskPath> out = new ArrayList<>();
        for (TaskPath p : paths.values()) {
            if (p.task().equals(task)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Tasks with a live path, in the order they entered the system (the root's pseudo-task aside). */
    public List<String> tasks() {
        List<String> out = new ArrayList<>();
        for (String task : taskOrder) {
            if (!task.equals(Component.NOT_TRAINABLE)) {
                out.add(task);
            }
        }
        return out;
    }

    public List<TaskPath> roots() {
        return pathsOf(Component.NOT_TRAINABLE);
    }

    public List<Component> componentsOf(TaskPath p) {
        List<Component> out = new ArrayList<>();
        for (long id : p.componentIds()) {
            out.add(component(id));
        }
        return out;
    }

    public List<Long> seeds() {
        return seeds;
    }

    /**
     * Start of a task iteration (spec §1.7, §2.3): the seeds become every live path of another,
     * non-private task (the root included), shuffled; the task's own name is removed from the locks
     * of its own components so it may change what only it uses.
     */
    public Population startTask(String task, SplittableRandom rng) {
        List<Long> candidates = new ArrayList<>();
        for (TaskPath p : paths.values()) {
            if (!p.task().equals(task) && !TaskNames.isPrivate(p.task())) {
                candidates.add(p.id());
            }
        }
        // Fisher-Yates with the run's random stream: reproducible from the seed.
        for (int i = candidates.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Long tmp = candidates.get(i);
            candidates.set(i, candidates.get(j));
            candidates.set(j, tmp);
        }
        Map<Long, Component> next = new LinkedHashMap<>(components);
        for (TaskPath p : pathsOf(task)) {
            for (long id : p.componentIds()) {
                next.put(id, next.get(id).withoutLock(task));
            }
        }
        return new Population(next, paths, candidates, taskOrder, nextPathId,
                nextComponentId);
    }

    /** Rotates the seeds so that those after {@code acceptedIndex} come first (spec §2.3). */
    public Population withSeedsRotatedAfter(int acceptedIndex) {
        List<Long> rotated = new ArrayList<>(seeds.subList(acceptedIndex + 1, seeds.size()));
        rotated.addAll(seeds.subList(0, acceptedIndex + 1));
        return withSeeds(rotated);
    }

    /** The highest-scoring live path of a task; ties go to the newest (highest id). */
    public TaskPath bestPath(String task, ToDoubleFunction<TaskPath> score) {
        TaskPath best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (TaskPath p : pathsOf(task)) {
            double s = score.applyAsDouble(p);
            if (best == null || s > bestScore || (s == bestScore && p.id() > best.id())) {
                best = p;
                bestScore = s;
            }
        }
        return best;
    }

    /**
     * End of a task iteration (spec §2.7 steps 1-4): keep only the best path of the task, lock its
     * components for the task, drop components no live path uses, and re-link every live path to
     * its nearest live ancestor.
     *
     * @param score scores of this population's paths (the best is chosen before anything changes)
     */
    public Population endTask(String task, ToDoubleFunction<TaskPath> score) {
        TaskPath best = bestPath(task, score);
        if (best == null) {
            throw new IllegalStateException("task " + task + " has no live path to keep");
        }
        Map<Long, Long> parentOf = new HashMap<>();
        for (TaskPath p : paths.values()) {
            parentOf.put(p.id(), p.parentId());
        }
        Map<Long, TaskPath> kept = new LinkedHashMap<>();
        for (TaskPath p : paths.values()) {
            if (!p.task().equals(task) || p.id() == best.id()) {
                kept.put(p.id(), p);
            }
        }
        kept.replaceAll((id, p) -> {
            Long a = p.parentId();
            while (a != null && !kept.containsKey(a)) {
                a = parentOf.get(a);
            }
            return p.withParent(a);
        });
        Set<Long> used = new HashSet<>();
        for (TaskPath p : kept.values()) {
            used.addAll(p.componentIds());
        }
        Map<Long, Component> live = new LinkedHashMap<>();
        for (Component c : components.values()) {
            if (used.contains(c.id())) {
                live.put(c.id(), best.componentIds().contains(c.id()) ? c.withLock(task) : c);
            }
        }
        List<Long> liveSeeds = new ArrayList<>(seeds);
        liveSeeds.removeIf(id -> !kept.containsKey(id));
        return new Population(live, kept, liveSeeds, taskOrder, nextPathId, nextComponentId);
    }
}
