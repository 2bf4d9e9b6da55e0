package org.munet.system;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a system stands, persisted with every state version so that a restarted run continues at
 * the next uncommitted generation, and the next nightly run knows which tasks it has seen.
 *
 * <p>Vocabulary: a <em>visit</em> is one task iteration of the paper (a task's generations, then
 * its end of task); visits are numbered across the state's life by the visit index, and a task's
 * own visits are counted from 1 as its <em>iteration</em> ("mnist iteration 2"). The manifest keeps
 * the names "loop" and "lastLoop" for the visit index, as states have always been written.
 *
 * @param visitIndex task visits started so far in this state's life: the index of the current (or
 *     next) visit, and with the generation the position every random decision derives from
 * @param generation next generation to run within the current visit
 * @param taskStarted whether the current visit's task start (seed shuffle, own unlock) was applied
 * @param computeSeconds summed candidate training seconds so far (core-seconds)
 * @param task the current visit's task while {@code taskStarted}; null between visits (and in states
 *     written before visits were recorded)
 * @param visits per task, in introduction order: completed visits and when the last one started
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(@JsonProperty("loop") int visitIndex, int generation, boolean taskStarted,
        double computeSeconds, String task, Map<String, TaskVisits> visits) {

    /** Visits of one task: how many ended, and the index of the visit that was the last one. */
    public record TaskVisits(int count, @JsonProperty("lastLoop") int lastVisitIndex) {}

    public Progress {
        visits = Collections.unmodifiableMap(new LinkedHashMap<>(visits == null ? Map.of() : visits));
    }

    public static Progress start() {
        return new Progress(0, 0, false, 0, null, Map.of());
    }

    /** A visit of {@code task} begins at this visit index. */
    public Progress startVisit(String task) {
        return new Progress(visitIndex, 0, true, computeSeconds, task, visits);
    }

    /** One more generation of the current visit is committed. */
    public Progress afterGeneration(double compute) {
        return new Progress(visitIndex, generation + 1, true, compute, task, visits);
    }

    /** The current visit ended: the ledger counts it and the next visit index begins. */
    public Progress endVisit() {
        Map<String, TaskVisits> v = new LinkedHashMap<>(visits);
        TaskVisits before = v.get(task);
        v.put(task, new TaskVisits(before == null ? 1 : before.count() + 1, visitIndex));
        return new Progress(visitIndex + 1, 0, false, computeSeconds, null, v);
    }

    /** Which visit of its task the current one is, from 1 (the completed ones plus this one). */
    public int iteration() {
        return visitsOf(task) + 1;
    }

    /** Completed visits of {@code task}. */
    public int visitsOf(String task) {
        TaskVisits v = visits.get(task);
        return v == null ? 0 : v.count();
    }
}
