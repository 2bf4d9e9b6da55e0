package org.munet.spark.ui;

import java.util.List;
import org.apache.spark.scheduler.SparkListenerEvent;

/** Each task's best live path after a commit. */
public record LeaderboardEvent(List<Row> rows, long time) implements SparkListenerEvent {

    /** One task's best path; accuracies are null where unknown. */
    public record Row(String task, long pathId, Double validation, Double test, double score,
            long activatedParams, long newParams) {}
}
