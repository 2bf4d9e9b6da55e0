package org.munet.spark.ui;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the µ2Net tab shows, folded from munet's events and Spark's own job and task events: the
 * task, iteration and generation running now, each of its candidates with its state (queued,
 * training, done, kept, rejected) and executor, the finished generations and task iterations, and
 * the leaderboard. Plain Java and thread-safe; {@link MunetUiListener} feeds it, {@link #view()} is
 * what the page and its JSON render.
 */
public final class MunetUiStore {

    /** Candidate states, in the order a candidate goes through them. */
    public static final String QUEUED = "queued";
    public static final String TRAINING = "training";
    public static final String DONE = "done";
    public static final String KEPT = "kept";
    public static final String REJECTED = "rejected";

    /** Everything the tab shows. */
    public record View(Current current, List<CandidateRow> candidates, List<GenerationRow> generations,
            List<TaskIterationRow> taskIterations, List<LeaderboardEvent.Row> leaderboard) {

        public static final View EMPTY = new View(null, List.of(), List.of(), List.of(), List.of());
    }

    /**
     * The generation running now, or the last one.
     *
     * @param phase "training" while its job runs, "committed" after it, "task iteration ended" after
     *     the end of task
     * @param since epoch milliseconds the generation started
     */
    public record Current(String task, int iteration, int generation, int generations, String phase, long since) {}

    /**
     * One candidate of the current generation.
     *
     * @param index the Spark task that trains it within the generation's job (its place in the
     *     generation until the job starts; the job's task order may differ, see
     *     {@link GenerationStartedEvent#TASK_ORDER_PROPERTY})
     * @param attempts Spark task attempts started (more than 1: retried)
     * @param reason why it was rejected, or why its last attempt failed
     */
    public record CandidateRow(int index, long pathId, Long parentId, Map<String, String> mutations, long newParams,
            String state, String executor, int attempts, Double validation, String reason) {}

    /** A finished generation; {@code rejected} as "path ID: reason". */
    public record GenerationRow(String task, int iteration, int generation, int generations, int candidates,
            int kept, List<String> rejected, Double bestScore, double wallSeconds, double elapsedSeconds) {}

    /** A finished task iteration and its best path's accuracies (null where unknown). */
    public record TaskIterationRow(String task, int iteration, Double validation, Double test,
            double elapsedSeconds) {}

    private Current current;
    private String runId;
    private final List<CandidateRow> candidates = new ArrayList<>();
    private final Map<Integer, Integer> stagesOfCurrentJob = new HashMap<>();
    /** Candidate index of each task of the current generation's job (identity unless the job says). */
    private int[] candidateOfTask;
    private final List<GenerationRow> generations = new ArrayList<>();
    private final List<TaskIterationRow> taskIterations = new ArrayList<>();
    private List<LeaderboardEvent.Row> leaderboard = List.of();

    public synchronized void generationStarted(GenerationStartedEvent e) {
        current = new Current(e.task(), e.iteration(), e.generation(), e.generations(), TRAINING, e.time());
        runId = e.runId();
        stagesOfCurrentJob.clear();
        candidateOfTask = null;
        candidates.clear();
        for (int i = 0; i < e.candidates().size(); i++) {
            GenerationStartedEvent.Candidate c = e.candidates().get(i);
            candidates.add(new CandidateRow(i, c.pathId(), c.parentId(), c.mutations(), c.newParams(), QUEUED, null,
                    0, null, null));
        }
    }

    /** A Spark job started; {@code generationRunId} is its {@link GenerationStartedEvent#JOB_PROPERTY}, or null. */
    public synchronized void jobStarted(int jobId, String generationRunId, List<Integer> stageIds) {
        jobStarted(jobId, generationRunId, stageIds, null);
    }

    /**
     * As {@link #jobStarted(int, String, List)}, with the job's task order: task {@code t} trains
     * candidate {@code taskOrder[t]}; null (or not a permutation of the candidates) means task i
     * trains candidate i.
     */
    public synchronized void jobStarted(int jobId, String generationRunId, List<Integer> stageIds, int[] taskOrder) {
        if (generationRunId != null && generationRunId.equals(runId)) {
            for (int stage : stageIds) {
                stagesOfCurrentJob.put(stage, jobId);
            }
            if (isPermutation(taskOrder, candidates.size())) {
                candidateOfTask = taskOrder.clone();
                for (int t = 0; t < taskOrder.length; t++) {
                    CandidateRow c = candidates.get(taskOrder[t]);
                    candidates.set(taskOrder[t], new CandidateRow(t, c.pathId(), c.parentId(), c.mutations(),
                            c.newParams(), c.state(), c.executor(), c.attempts(), c.validation(), c.reason()));
                }
            }
        }
    }

    private static boolean isPermutation(int[] order, int n) {
        if (order == null || order.length != n) {
            return false;
        }
        boolean[] seen = new boolean[n];
        for (int i : order) {
            if (i < 0 || i >= n || seen[i]) {
                return false;
            }
            seen[i] = true;
        }
        return true;
    }

    /** A Spark task attempt started: task {@code index} of stage {@code stageId} is that candidate. */
    public synchronized void taskStarted(int stageId, int index, String executor) {
        CandidateRow c = candidate(stageId, index);
        if (c != null) {
            set(index, new CandidateRow(c.index(), c.pathId(), c.parentId(), c.mutations(), c.newParams(), TRAINING,
                    executor, c.attempts() + 1, null, null));
        }
    }

    /** A Spark task attempt ended; {@code failure} is null when it succeeded (Spark retries a failed one). */
    public synchronized void taskEnded(int stageId, int index, String executor, String failure) {
        CandidateRow c = candidate(stageId, index);
        if (c != null && !KEPT.equals(c.state()) && !REJECTED.equals(c.state())) {
            set(index, new CandidateRow(c.index(), c.pathId(), c.parentId(), c.mutations(), c.newParams(),
                    failure == null ? DONE : QUEUED, executor, c.attempts(), null,
                    failure == null ? null : "attempt " + c.attempts() + " failed: " + failure));
        }
    }

    public synchronized void generationFinished(GenerationFinishedEvent e) {
        Map<Long, GenerationFinishedEvent.Outcome> byPath = new LinkedHashMap<>();
        for (GenerationFinishedEvent.Outcome o : e.outcomes()) {
            byPath.put(o.pathId(), o);
        }
        if (current != null && current.task().equals(e.task()) && current.iteration() == e.iteration()
                && current.generation() == e.generation()) {
            for (int i = 0; i < candidates.size(); i++) {
                CandidateRow c = candidates.get(i);
                GenerationFinishedEvent.Outcome o = byPath.get(c.pathId());
                if (o != null) {
                    candidates.set(i, new CandidateRow(c.index(), c.pathId(), c.parentId(), c.mutations(),
                            c.newParams(), o.kept() ? KEPT : REJECTED, c.executor(), c.attempts(),
                            finite(o.validation()), o.reason()));
                }
            }
            current = new Current(current.task(), current.iteration(), current.generation(), current.generations(),
                    "committed", current.since());
        }
        int kept = (int) e.outcomes().stream().filter(GenerationFinishedEvent.Outcome::kept).count();
        List<String> rejected = e.outcomes().stream().filter(o -> !o.kept())
                .map(o -> "path " + o.pathId() + ": " + o.reason()).toList();
        generations.add(new GenerationRow(e.task(), e.iteration(), e.generation(), e.generations(),
                e.outcomes().size(), kept, rejected, finite(e.bestScore()), e.wallSeconds(), e.elapsedSeconds()));
    }

    public synchronized void taskIterationEnded(TaskIterationEndedEvent e) {
        taskIterations.add(new TaskIterationRow(e.task(), e.iteration(), finite(e.validation()), finite(e.test()),
                e.elapsedSeconds()));
        if (current != null && current.task().equals(e.task()) && current.iteration() == e.iteration()) {
            current = new Current(current.task(), current.iteration(), current.generation(), current.generations(),
                    "task iteration ended", current.since());
        }
    }

    public synchronized void leaderboard(LeaderboardEvent e) {
        leaderboard = List.copyOf(e.rows());
    }

    /** A copy of the current state; the newest generations and task iterations first. */
    public synchronized View view() {
        return new View(current, List.copyOf(candidates), reversed(generations), reversed(taskIterations),
                leaderboard);
    }

    /** The candidate that task {@code task} of stage {@code stageId} trains, or null. */
    private CandidateRow candidate(int stageId, int task) {
        if (!stagesOfCurrentJob.containsKey(stageId) || task < 0 || task >= candidates.size()) {
            return null;
        }
        return candidates.get(candidateOf(task));
    }

    private int candidateOf(int task) {
        return candidateOfTask == null ? task : candidateOfTask[task];
    }

    /** Replaces the row of the candidate that task {@code task} trains. */
    private void set(int task, CandidateRow row) {
        candidates.set(candidateOf(task), row);
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> out = new ArrayList<>(list);
        java.util.Collections.reverse(out);
        return List.copyOf(out);
    }

    private static Double finite(Double d) {
        return d == null || d.isNaN() || d.isInfinite() ? null : d;
    }
}
