package org.munet.spark.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.status.ElementTrackingStore;
import org.apache.spark.util.kvstore.KVStore;
import scala.runtime.BoxedUnit;

/**
 * Folds munet's events and Spark's job and task events into a {@link MunetUiStore} and, after each
 * change, writes its view into the application's status store, where the µ2Net tab reads it. The
 * same listener runs in the live driver ({@link MunetUiPlugin}) and in the History Server replaying
 * an event log ({@link MunetHistoryServerPlugin}).
 */
public final class MunetUiListener extends SparkListener {

    static final ObjectMapper JSON = new ObjectMapper();

    private final MunetUiStore store = new MunetUiStore();
    private final KVStore kvstore;
    private final boolean live;

    /** A live application's listener: the view goes to {@code kvstore} after each change (null: nowhere). */
    public MunetUiListener(KVStore kvstore) {
        this.kvstore = kvstore;
        this.live = true;
    }

    /**
     * A History Server's listener replaying an event log into {@code kvstore}: the view is written
     * once, when the History Server flushes the store after the replay, not after every event.
     */
    public MunetUiListener(ElementTrackingStore kvstore, boolean live) {
        this.kvstore = kvstore;
        this.live = live;
        if (!live) {
            kvstore.onFlush(() -> {
                write();
                return BoxedUnit.UNIT;
            });
        }
    }

    public MunetUiStore store() {
        return store;
    }

    @Override
    public void onOtherEvent(SparkListenerEvent event) {
        if (event instanceof GenerationStartedEvent e) {
            store.generationStarted(e);
        } else if (event instanceof GenerationFinishedEvent e) {
            store.generationFinished(e);
        } else if (event instanceof TaskIterationEndedEvent e) {
            store.taskIterationEnded(e);
        } else if (event instanceof LeaderboardEvent e) {
            store.leaderboard(e);
        } else {
            return;
        }
        save();
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        String runId = start.properties() == null ? null
                : start.properties().getProperty(GenerationStartedEvent.JOB_PROPERTY);
        if (runId == null) {
            return;
        }
        List<Integer> stages = new ArrayList<>();
        start.stageIds().foreach(stage -> stages.add((Integer) stage));
        store.jobStarted(start.jobId(), runId, stages,
                taskOrder(start.properties().getProperty(GenerationStartedEvent.TASK_ORDER_PROPERTY)));
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
        if (start.taskInfo() != null) {
            store.taskStarted(start.stageId(), start.taskInfo().index(), start.taskInfo().executorId());
            save();
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo() == null) {
            return;
        }
        String failure = null;
        if (end.reason() instanceof TaskFailedReason failed) {
            String why = failed.toErrorString();
            int newline = why.indexOf('\n');
            failure = newline < 0 ? why : why.substring(0, newline);
        }
        store.taskEnded(end.stageId(), end.taskInfo().index(), end.taskInfo().executorId(), failure);
        save();
    }

    /** A job's task order ("2,0,1"), or null when absent or malformed. */
    static int[] taskOrder(String property) {
        if (property == null || property.isBlank()) {
            return null;
        }
        try {
            return java.util.Arrays.stream(property.split(",")).mapToInt(v -> Integer.parseInt(v.trim())).toArray();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The view this listener saved last (tests). */
    String savedJsonForTest() {
        return savedJson(kvstore);
    }

    private void save() {
        if (live) {
            write();
        }
    }

    private void write() {
        if (kvstore == null || store.view().current() == null) {
            return;
        }
        try {
            kvstore.write(new MunetUiEntry(JSON.writeValueAsString(store.view())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the µ2Net tab's state: " + e.getMessage(), e);
        }
    }

    /** The view saved in {@code kvstore}, or {@link MunetUiStore.View#EMPTY} when none was saved. */
    public static String savedJson(KVStore kvstore) {
        try {
            return kvstore.read(MunetUiEntry.class, MunetUiEntry.KEY).json;
        } catch (java.util.NoSuchElementException e) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the µ2Net tab's state: " + e.getMessage(), e);
        }
    }
}
