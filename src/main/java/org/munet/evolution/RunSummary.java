package org.munet.evolution;

import java.util.List;

/**
 * What one run did, for the morning report.
 *
 * @param introduced tasks this run added to the system (in order)
 * @param revisited tasks this run visited again (a task visited twice is listed twice)
 * @param improved tasks whose best score rose during this run
 * @param skipped tasks left out, each with its error
 * @param generations generations trained
 * @param computeSeconds candidate training time this run spent (core-seconds)
 * @param wallSeconds the run's wall time
 * @param stopReason why the run ended: its schedule is done, a budget, or nothing to do
 * @param completedVisits visits this run finished
 */
public record RunSummary(List<String> introduced, List<String> revisited, List<String> improved,
        List<VisitSchedule.Skipped> skipped, int generations, double computeSeconds, double wallSeconds,
        String stopReason, int completedVisits) {

    /** Stop reason of a run whose every task has had all its visits. */
    public static final String DONE = "every task has had all its visits";

    /** Stop reason of a run in which no listed task's data could be read. */
    public static final String ALL_SKIPPED = "every listed task was skipped";

    public boolean didNothing() {
        return generations == 0 && completedVisits == 0;
    }

    /** Whether the run did nothing because no listed task's data could be read. */
    public boolean allSkipped() {
        return didNothing() && ALL_SKIPPED.equals(stopReason);
    }
}
