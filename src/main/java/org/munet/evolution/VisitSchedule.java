package org.munet.evolution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.munet.system.Progress;

/**
 * Which task the system visits next. Tasks it has not seen yet come first, in list order; then the
 * task whose last visit is the oldest (ties in list order), until every task has {@code maxVisits}
 * visits.
 *
 * <p>Why least recently visited rather than weakest first: on a fixed list this is exactly the
 * reference's round-robin (every task iteration visits the tasks in order), so a run cut into
 * nightly pieces by a time budget spends its compute as one uninterrupted run would. Weakest first
 * would pour every night into the inherently hardest task and starve the others.
 *
 * <p>A task whose data cannot be loaded (missing, truncated, labels outside its classes, fewer than
 * two classes) is skipped for this run with its error, and the others go on; it is tried again by
 * the next run, after the data is fixed. Tasks of the system that the list no longer names are
 * simply not visited: their paths stay.
 */
public final class VisitSchedule {

    /** A task left out of this run, and why. */
    public record Skipped(String task, String reason) {}

    private final List<String> tasks;
    private final Integer maxVisits;
    private final Function<String, TaskSpec> resolver;
    private final Map<String, TaskSpec> resolved = new LinkedHashMap<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();

    /**
     * @param tasks the tasks, in introduction order (the config's list, or the catalog)
     * @param maxVisits visits per task after which it is done; null for no limit
     * @param resolver loads a task's size and classes; throws with a clear message for bad data
     */
    public VisitSchedule(List<String> tasks, Integer maxVisits, Function<String, TaskSpec> resolver) {
        this.tasks = List.copyOf(tasks);
        this.maxVisits = maxVisits;
        this.resolver = resolver;
    }

    /** The tasks, with resolved specs, of a fixed experiment (tests, and the settings' own list). */
    public static VisitSchedule of(EngineSettings settings) {
        Map<String, TaskSpec> specs = new LinkedHashMap<>();
        settings.tasks().forEach(t -> specs.put(t.name(), t));
        return new VisitSchedule(new ArrayList<>(specs.keySet()), settings.taskIterations(), specs::get);
    }

    /** The next visit after {@code progress} (which is between visits), or null when all are done. */
    public Visit next(Progress progress) {
        String best = null;
        int bestLast = Integer.MAX_VALUE;
        for (String name : tasks) {
            if (skipped.containsKey(name)) {
                continue;
            }
            Progress.TaskVisits v = progress.visits().get(name);
            int count = v == null ? 0 : v.count();
            if (maxVisits != null && count >= maxVisits) {
                continue;
            }
            int last = v == null ? Integer.MIN_VALUE : v.lastVisitIndex();
            if (last < bestLast) {
                best = name;
                bestLast = last;
            }
        }
        if (best == null) {
            return null;
        }
        TaskSpec spec = resolve(best);
        if (spec == null) {
            return next(progress);
        }
        return new Visit(spec, progress.visitsOf(best) + 1);
    }

    /** The visit a resumed run continues (its task is in the progress); null if its task was skipped. */
    public Visit current(Progress progress) {
        TaskSpec spec = resolve(progress.task());
        return spec == null ? null : new Visit(spec, progress.iteration());
    }

    /** Tasks left out of this run so far, with their errors. */
    public List<Skipped> skipped() {
        List<Skipped> out = new ArrayList<>();
        skipped.forEach((task, reason) -> out.add(new Skipped(task, reason)));
        return out;
    }

    /**
     * A listed task's spec, loading its data on first use; null if it is not listed or its data
     * cannot be read (it is then among {@link #skipped()}).
     */
    public TaskSpec spec(String name) {
        return tasks.contains(name) ? resolve(name) : null;
    }

    public List<String> tasks() {
        return tasks;
    }

    private TaskSpec resolve(String name) {
        if (skipped.containsKey(name)) {
            return null;
        }
        TaskSpec spec = resolved.get(name);
        if (spec != null) {
            return spec;
        }
        try {
            spec = resolver.apply(name);
        } catch (RuntimeException e) {
            skipped.put(name, e.getMessage() != null ? e.getMessage() : e.toString());
            return null;
        }
        if (spec == null) {
            skipped.put(name, "unknown task");
            return null;
        }
        resolved.put(name, spec);
        return spec;
    }
}
