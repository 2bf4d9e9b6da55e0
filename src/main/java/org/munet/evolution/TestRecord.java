package org.munet.evolution;

/**
 * One test pass at the end of a task iteration: the test accuracy of one live path (one task's
 * best) when {@code endedTask}'s iteration ended. Every live path is tested at every task end, so
 * the records form the continual-learning accuracy matrix: a row per task end, a column per task.
 * A path is frozen once its task ends, so a column never changes after its task's last iteration:
 * the measured backward transfer is 0, and a non-zero one is a bug.
 *
 * @param visitIndex the task iteration that ended ({@link org.munet.system.Progress#visitIndex()})
 * @param endedTask the task whose iteration ended
 * @param pathId the tested path
 * @param task the tested path's task
 * @param accuracy its test accuracy
 * @param predictionsSha256 SHA-256 of its test predictions (one byte per example)
 */
public record TestRecord(int visitIndex, String endedTask, long pathId, String task, double accuracy,
        String predictionsSha256) {}
