package org.munet.spark.ui;

import java.util.List;
import org.apache.spark.scheduler.SparkListenerEvent;

/**
 * A generation was trained, judged and committed.
 *
 * @param outcomes each candidate, in order
 * @param bestScore the task's best score after the generation
 * @param wallSeconds the generation's training wall time
 * @param elapsedSeconds since the run started
 * @param time epoch milliseconds
 */
public record GenerationFinishedEvent(String task, int iteration, int generation, int generations,
        List<Outcome> outcomes, double bestScore, double wallSeconds, double elapsedSeconds, long time)
        implements SparkListenerEvent {

    /** @param reason why a rejected candidate was rejected; null when kept */
    public record Outcome(long pathId, Double validation, boolean kept, String reason) {}
}
