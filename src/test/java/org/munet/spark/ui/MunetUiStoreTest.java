package org.munet.spark.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.util.JsonProtocol;
import org.junit.jupiter.api.Test;

/** The folding of munet's and Spark's events into the tab's view, without a Spark context. */
class MunetUiStoreTest {

    private static GenerationStartedEvent started(int generation, String runId) {
        return new GenerationStartedEvent("mnist", 1, generation, 2, runId, List.of(
                new GenerationStartedEvent.Candidate(11, 0L, Map.of("opt_lr", "0.05 → 0.1"), 1000),
                new GenerationStartedEvent.Candidate(12, 0L, Map.of(), 2000)), 1L);
    }

    @Test
    void foldsAGenerationFromQueuedToKeptAndRejected() {
        MunetUiStore store = new MunetUiStore();
        store.generationStarted(started(1, "loop0-gen0"));
        assertEquals(List.of("queued", "queued"), states(store));
        assertEquals("training", store.view().current().phase());

        // Spark's job for another generation's run id, and stages of other jobs, are not candidates.
        store.jobStarted(7, "other-run", List.of(3));
        store.taskStarted(3, 0, "exec-9");
        assertEquals(List.of("queued", "queued"), states(store));

        store.jobStarted(8, "loop0-gen0", List.of(4));
        store.taskStarted(4, 1, "driver");
        assertEquals(List.of("queued", "training"), states(store));
        assertEquals("driver", store.view().candidates().get(1).executor());

        store.taskStarted(4, 0, "1");
        store.taskEnded(4, 0, "1", "ExecutorLostFailure");
        MunetUiStore.CandidateRow retried = store.view().candidates().get(0);
        assertEquals("queued", retried.state());
        assertEquals("attempt 1 failed: ExecutorLostFailure", retried.reason());
        store.taskStarted(4, 0, "2");
        store.taskEnded(4, 0, "2", null);
        store.taskEnded(4, 1, "driver", null);
        assertEquals(List.of("done", "done"), states(store));
        assertEquals(2, store.view().candidates().get(0).attempts());

        store.generationFinished(new GenerationFinishedEvent("mnist", 1, 1, 2, List.of(
                new GenerationFinishedEvent.Outcome(11, 0.9, true, null),
                new GenerationFinishedEvent.Outcome(12, 0.5, false, "score 0.5 below 0.6")), 0.9, 3.5, 10.0, 2L));
        MunetUiStore.View v = store.view();
        assertEquals(List.of("kept", "rejected"), states(store));
        assertEquals("score 0.5 below 0.6", v.candidates().get(1).reason());
        assertEquals("2", v.candidates().get(0).executor());
        assertEquals("committed", v.current().phase());
        assertEquals(List.of(new MunetUiStore.GenerationRow("mnist", 1, 1, 2, 2, 1,
                List.of("path 12: score 0.5 below 0.6"), 0.9, 3.5, 10.0)),
                v.generations());

        // A late task end (a speculative copy, say) does not undo the verdict.
        store.taskEnded(4, 1, "driver", null);
        assertEquals(List.of("kept", "rejected"), states(store));

        // The next generation starts over; the finished ones stay, newest first.
        store.generationStarted(started(2, "loop0-gen1"));
        store.taskStarted(4, 0, "1");
        assertEquals(List.of("queued", "queued"), states(store), "the old job's stage is not the new generation's");
        store.generationFinished(new GenerationFinishedEvent("mnist", 1, 2, 2, List.of(
                new GenerationFinishedEvent.Outcome(11, null, false, "loss diverged"),
                new GenerationFinishedEvent.Outcome(12, 0.95, true, null)), Double.NaN, 1.0, 12.0, 3L));
        assertEquals(List.of(2, 1), store.view().generations().stream().map(MunetUiStore.GenerationRow::generation)
                .toList());
        assertNull(store.view().generations().get(0).bestScore(), "NaN shows as unknown");

        store.taskIterationEnded(new TaskIterationEndedEvent("mnist", 1, 0.95, Double.NaN, 13.0, 4L));
        store.leaderboard(new LeaderboardEvent(List.of(new LeaderboardEvent.Row("mnist", 12, 0.95, 0.94, 0.93, 5, 6)),
                5L));
        v = store.view();
        assertEquals("task iteration ended", v.current().phase());
        assertEquals(new MunetUiStore.TaskIterationRow("mnist", 1, 0.95, null, 13.0), v.taskIterations().get(0));
        assertEquals(12, v.leaderboard().get(0).pathId());
    }

    @Test
    void aJobsTaskOrderMapsItsTasksToTheirCandidates() {
        MunetUiStore store = new MunetUiStore();
        store.generationStarted(started(1, "loop0-gen0"));
        // Task 0 trains candidate 1 (path 12), task 1 candidate 0 (path 11): the start order.
        store.jobStarted(8, "loop0-gen0", List.of(4), MunetUiListener.taskOrder("1,0"));
        store.taskStarted(4, 0, "1");
        assertEquals(List.of("queued", "training"), states(store));
        assertEquals(List.of(11L, 12L), store.view().candidates().stream().map(MunetUiStore.CandidateRow::pathId)
                .toList(), "rows stay in the generation's order");
        assertEquals(List.of(1, 0), store.view().candidates().stream().map(MunetUiStore.CandidateRow::index)
                .toList(), "each row names the Spark task that trains it");
        store.taskStarted(4, 1, "2");
        store.taskEnded(4, 1, "2", null);
        assertEquals(List.of("done", "training"), states(store));
        assertEquals("2", store.view().candidates().get(0).executor());
        store.generationFinished(new GenerationFinishedEvent("mnist", 1, 1, 2, List.of(
                new GenerationFinishedEvent.Outcome(11, 0.9, true, null),
                new GenerationFinishedEvent.Outcome(12, 0.5, false, "score 0.5 below 0.6")), 0.9, 3.5, 10.0, 2L));
        assertEquals(List.of(1, 0), store.view().candidates().stream().map(MunetUiStore.CandidateRow::index)
                .toList());

        // No order, a malformed one, or one that is not a permutation: task i is candidate i.
        assertNull(MunetUiListener.taskOrder(null));
        assertNull(MunetUiListener.taskOrder("1,x"));
        store.generationStarted(started(2, "loop0-gen1"));
        store.jobStarted(9, "loop0-gen1", List.of(5), new int[] {1, 1});
        store.taskStarted(5, 0, "1");
        assertEquals(List.of("training", "queued"), states(store));
    }

    @Test
    void eventsSurviveSparksEventLogFormat() {
        List<org.apache.spark.scheduler.SparkListenerEvent> events = List.of(started(1, "r"),
                new GenerationFinishedEvent("mnist", 1, 1, 2, List.of(new GenerationFinishedEvent.Outcome(11, null,
                        false, "loss diverged")), Double.NaN, 3.5, 10.0, 2L),
                new TaskIterationEndedEvent("mnist", 1, 0.9, 0.8, 13.0, 4L),
                new LeaderboardEvent(List.of(new LeaderboardEvent.Row("mnist", 12, 0.95, null, 0.93, 5, 6)), 5L));
        for (org.apache.spark.scheduler.SparkListenerEvent e : events) {
            String json = JsonProtocol.sparkEventToJsonString(e);
            assertTrue(json.contains("\"Event\":\"" + e.getClass().getName() + "\""), json);
            org.apache.spark.scheduler.SparkListenerEvent back = JsonProtocol.sparkEventFromJson(json);
            assertEquals(e.toString(), back.toString(), json);
        }
    }

    @Test
    void listenerSavesTheViewThePageRenders() {
        MunetUiListener listener = new MunetUiListener(new org.apache.spark.util.kvstore.InMemoryStore());
        assertEquals(MunetUiStore.View.EMPTY, listener.store().view());
        listener.onOtherEvent(started(1, "r"));
        listener.onOtherEvent(new LeaderboardEvent(List.of(new LeaderboardEvent.Row("mnist <b>", 12, 0.95, null,
                0.93, 5, 6)), 5L));
        MunetUiStore.View v = MunetPageHtml.parse(listener.savedJsonForTest());
        assertEquals(listener.store().view(), v);
        String html = MunetPageHtml.render(v, false);
        scala.xml.XML.loadString(html);
        assertTrue(html.contains("mnist &lt;b&gt;"), html);
        assertTrue(html.contains("opt_lr 0.05 → 0.1"), html);
        assertEquals("none", MunetEventPoster.value(""));
        assertEquals("none", MunetEventPoster.value(null));
        assertEquals("0_1", MunetEventPoster.value("0_1"));
    }

    @Test
    void aReplayingListenerWritesTheViewWhenTheStoreIsFlushed() throws Exception {
        org.apache.spark.util.kvstore.InMemoryStore memory = new org.apache.spark.util.kvstore.InMemoryStore();
        org.apache.spark.status.ElementTrackingStore tracking = new org.apache.spark.status.ElementTrackingStore(
                memory, new org.apache.spark.SparkConf(false));
        MunetUiListener listener = new MunetUiListener(tracking, false);
        listener.onOtherEvent(started(1, "r"));
        assertNull(MunetUiListener.savedJson(memory), "nothing written during the replay");
        tracking.close(false);
        assertEquals(listener.store().view(), MunetPageHtml.parse(MunetUiListener.savedJson(memory)));
    }

    @Test
    void noMunetEventsNoEntry() {
        MunetUiListener listener = new MunetUiListener(new org.apache.spark.util.kvstore.InMemoryStore());
        listener.onOtherEvent(new LeaderboardEvent(List.of(), 1L));
        assertNull(listener.savedJsonForTest(), "an application without a generation gets no tab");
    }

    private static List<String> states(MunetUiStore store) {
        return store.view().candidates().stream().map(MunetUiStore.CandidateRow::state).toList();
    }
}
