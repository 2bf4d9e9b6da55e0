package org.munet.evolution;

import java.util.List;

/** Told what the engine does, for progress lines, reports and the Spark UI. */
public interface ProgressListener {

    /** Before a generation's candidates are trained: which they are, in the runner's order. */
    default void onGenerationStart(GenerationInfo generation, List<CandidateInfo> candidates) {}

    /** After a generation was committed. */
    void onGeneration(GenerationReport report);

    /** After a task iteration (its {@code iteration}-th visit, from 1) ended and its test evaluation ran. */
    void onTaskEnd(String task, int iteration, double validation, double test, double elapsedSeconds);

    /** After every commit (generation or end of task): each task's best live path. */
    default void onLeaderboard(List<LeaderboardEntry> leaderboard) {}

    /** Tells every one of {@code listeners}, in order. */
    static ProgressListener all(ProgressListener... listeners) {
        List<ProgressListener> all = List.of(listeners);
        return new ProgressListener() {
            @Override
            public void onGenerationStart(GenerationInfo generation, List<CandidateInfo> candidates) {
                all.forEach(l -> l.onGenerationStart(generation, candidates));
            }

            @Override
            public void onGeneration(GenerationReport report) {
                all.forEach(l -> l.onGeneration(report));
            }

            @Override
            public void onTaskEnd(String task, int iteration, double validation, double test, double elapsed) {
                all.forEach(l -> l.onTaskEnd(task, iteration, validation, test, elapsed));
            }

            @Override
            public void onLeaderboard(List<LeaderboardEntry> leaderboard) {
                all.forEach(l -> l.onLeaderboard(leaderboard));
            }
        };
    }

    ProgressListener NONE = new ProgressListener() {
        @Override
        public void onGeneration(GenerationReport report) {}

        @Override
        public void onTaskEnd(String task, int iteration, double validation, double test,
                double elapsedSeconds) {}
    };
}
