package org.munet.spark.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.munet.evolution.CandidateInfo;
import org.munet.evolution.CandidateOutcome;
import org.munet.evolution.GenerationInfo;
import org.munet.evolution.GenerationReport;
import org.munet.evolution.LeaderboardEntry;
import org.munet.evolution.ProgressListener;

/**
 * Posts what the engine tells as munet's {@code SparkListenerEvent}s on the driver's listener bus,
 * where {@link MunetUiListener} and the event log (for the History Server) get them.
 *
 * <p>{@code SparkContext.listenerBus()} is {@code private[spark]}: public in bytecode and callable
 * from Java, but not a public API, and may change with a Spark release (as DataFlint and Kyuubi use
 * Spark's UI internals).
 */
public final class MunetEventPoster implements ProgressListener {

    private final SparkContext sc;

    public MunetEventPoster(SparkContext sc) {
        this.sc = sc;
    }

    @Override
    public void onGenerationStart(GenerationInfo g, List<CandidateInfo> candidates) {
        List<GenerationStartedEvent.Candidate> out = new ArrayList<>();
        for (CandidateInfo c : candidates) {
            Map<String, String> mutations = new LinkedHashMap<>();
            c.mutations().forEach((k, v) -> mutations.put(k,
                    v.size() == 2 ? value(v.get(0)) + " → " + value(v.get(1)) : String.valueOf(v)));
            out.add(new GenerationStartedEvent.Candidate(c.pathId(), c.parentId(), mutations, c.newParams()));
        }
        post(new GenerationStartedEvent(g.task(), g.iteration(), g.generation(), g.generations(), g.runId(), out,
                System.currentTimeMillis()));
    }

    @Override
    public void onGeneration(GenerationReport r) {
        List<GenerationFinishedEvent.Outcome> outcomes = new ArrayList<>();
        for (CandidateOutcome o : r.outcomes()) {
            outcomes.add(new GenerationFinishedEvent.Outcome(o.pathId(), o.validation(), o.kept(), o.reason()));
        }
        post(new GenerationFinishedEvent(r.task(), r.iteration(), r.generation(), r.generations(), outcomes,
                r.bestScore(), r.wallSeconds(), r.elapsedSeconds(), System.currentTimeMillis()));
    }

    @Override
    public void onTaskEnd(String task, int iteration, double validation, double test, double elapsedSeconds) {
        post(new TaskIterationEndedEvent(task, iteration, validation, test, elapsedSeconds,
                System.currentTimeMillis()));
    }

    @Override
    public void onLeaderboard(List<LeaderboardEntry> leaderboard) {
        List<LeaderboardEvent.Row> rows = new ArrayList<>();
        for (LeaderboardEntry e : leaderboard) {
            rows.add(new LeaderboardEvent.Row(e.task(), e.pathId(), e.validation(), e.test(), e.score(),
                    e.activatedParams(), e.newParams()));
        }
        post(new LeaderboardEvent(rows, System.currentTimeMillis()));
    }

    /** A hyperparameter's value as the tab shows it: an absent or empty one is "none". */
    static String value(Object v) {
        return v == null || "".equals(v) ? "none" : String.valueOf(v);
    }

    private void post(org.apache.spark.scheduler.SparkListenerEvent event) {
        if (!sc.isStopped()) {
            sc.listenerBus().post(event);
        }
    }
}
