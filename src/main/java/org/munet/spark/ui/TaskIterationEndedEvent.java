package org.munet.spark.ui;

import org.apache.spark.scheduler.SparkListenerEvent;

/**
 * A task iteration ended: its best path was kept, locked and tested.
 *
 * @param validation the best path's validation accuracy (NaN when nothing was kept)
 * @param test its test accuracy (NaN when untested)
 * @param time epoch milliseconds
 */
public record TaskIterationEndedEvent(String task, int iteration, double validation, double test,
        double elapsedSeconds, long time) implements SparkListenerEvent {}
