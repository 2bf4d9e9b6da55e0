package org.munet.spark.ui;

import java.util.List;
import java.util.Map;
import org.apache.spark.scheduler.SparkListenerEvent;

/**
 * The driver sampled a generation and is about to train it (one Spark job, one task per candidate,
 * in the order its {@link #TASK_ORDER_PROPERTY} gives). Like every munet event it goes through
 * Spark's listener bus into the event log (Spark writes an event it does not know with Jackson and
 * its class name, and reads it back the same way when the class is on the History Server's
 * classpath).
 *
 * @param runId the staging run, which the generation's Spark job names in its {@link #JOB_PROPERTY}
 * @param time epoch milliseconds
 */
public record GenerationStartedEvent(String task, int iteration, int generation, int generations, String runId,
        List<Candidate> candidates, long time) implements SparkListenerEvent {

    /** The local property a generation's job carries: its {@code runId}. */
    public static final String JOB_PROPERTY = "munet.generation";

    /**
     * The local property a generation's job carries when its tasks are not in candidate order: the
     * candidate index each task trains, comma separated in task order ("2,0,1": task 0 trains
     * candidate 2). Absent: task i trains candidate i.
     */
    public static final String TASK_ORDER_PROPERTY = "munet.generation.taskOrder";

    /**
     * @param mutations hyperparameter to "parent value → child value"
     * @param newParams parameters created or cloned for the candidate
     */
    public record Candidate(long pathId, Long parentId, Map<String, String> mutations, long newParams) {}
}
