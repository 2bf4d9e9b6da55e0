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
 * list of the current task and the id counters. Mutable, owned by one engine; the state store
 * persists it after every generation.
 */
public final class Population {

    private final Map<Long, Component> components = new LinkedHashMap<>();
    private final Map<Long, TaskPath> paths = new LinkedHashMap<>();
    private final Map<String, List<Long>> pathsByTask = new LinkedHashMap<>();
    private final List<Long> seeds = new ArrayList<>();
    private long nextPathId;
    private long nextComponentId;

    public Population(long nextPathId, long nextComponentId) {
        this.nextPathId = nextPathId;
        this.nextComponentId = nextComponentId;
    }

    public long newPathId() {
        return nextPathId++;
    }

    public long newComponentId() {
        return nextComponentId++;
    }

    public long nextPathId() {
        return nextPathId;
    }

    public long nextComponentId() {
        return nextComponentId;
    }

    public void addComponent(Component c) {
        if (components.putIfAbsent(c.id(), c) != null) {
            throw new IllegalStateException("component " + c.id() + " already in the population");
        }
        nextComponentId = Math.max(nextComponentId, c.id() + 1);
    }

    /** Adds a live path; its components must already be present. */
    public void addPath(TaskPath p) {
        for (long id : p.componentIds()) {
            if (!components.containsKey(id)) {
                throw new IllegalStateException(p + " references component " + id + ", which is not live");
            }
        }
        if (paths.putIfAbsent(p.id(), p) != null) {
            throw new IllegalStateException(p + " already in the population");
        }
        pathsByTask.computeIfAbsent(p.task(), t -> new ArrayList<>()).add(p.id());
        nextPathId = Math.max(nextPathId, p.id() + 1);
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
        for (long id : pathsByTask.getOrDefault(task, List.of())) {
            out.add(paths.get(id));
        }
        return out;
    }

    public List<String> tasks() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : pathsByTask.entrySet()) {
            if (!e.getKey().equals(Component.NOT_TRAINABLE) && !e.getValue().isEmpty()) {
                out.add(e.getKey());
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
        return Collections.unmodifiableList(seeds);
    }

    public void setSeeds(List<Long> ids) {
        seeds.clear();
        seeds.addAll(ids);
    }

    /**
     * Start of a task iteration (spec §1.7, §2.3): the seeds become every live path of another,
     * non-private task (the root included), shuffled; the task's own name is removed from the locks
     * of its own components so it may change what only it uses.
     */
    public void startTask(String task, SplittableRandom rng) {
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
        setSeeds(candidates);
        for (TaskPath p : pathsOf(task)) {
            for (Component c : componentsOf(p)) {
                c.unlock(task);
            }
        }
    }

    /** Rotates the seeds so that those after {@code acceptedIndex} come first (spec §2.3). */
    public void rotateSeedsAfter(int acceptedIndex) {
        List<Long> rotated = new ArrayList<>(seeds.subList(acceptedIndex + 1, seeds.size()));
        rotated.addAll(seeds.subList(0, acceptedIndex + 1));
        setSeeds(rotated);
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
     * @return the ids of the components that were dropped
     */
    public Set<Long> endTask(String task, ToDoubleFunction<TaskPath> score) {
        TaskPath best = bestPath(task, score);
        if (best == null) {
            throw new IllegalStateException("task " + task + " has no live path to keep");
        }
        Map<Long, Long> parentOf = new HashMap<>();
        for (TaskPath p : paths.values()) {
            parentOf.put(p.id(), p.parentId());
        }
        for (TaskPath p : pathsOf(task)) {
            if (p.id() != best.id()) {
                paths.remove(p.id());
            }
        }
        pathsByTask.put(task, new ArrayList<>(List.of(best.id())));
        for (Component c : componentsOf(best)) {
            c.lock(task);
        }
        for (TaskPath p : paths.values()) {
            Long a = p.parentId();
            while (a != null && !paths.containsKey(a)) {
                a = parentOf.get(a);
            }
            p.relinkParent(a);
        }
        Set<Long> used = new HashSet<>();
        for (TaskPath p : paths.values()) {
            used.addAll(p.componentIds());
        }
        Set<Long> dropped = new HashSet<>();
        components.keySet().removeIf(id -> {
            boolean dead = !used.contains(id);
            if (dead) {
                dropped.add(id);
            }
            return dead;
        });
        seeds.removeIf(id -> !paths.containsKey(id));
        return dropped;
    }

    /** Adds a task's lock to a component, as another task adopting it would (tests, tools). */
    public void lock(long componentId, String task) {
        component(componentId).lock(task);
    }
}
