package org.munet.evolution;

/**
 * One task's best live path, as the engine scores it.
 *
 * @param task the task
 * @param pathId its best path
 * @param validation the path's validation accuracy, or null
 * @param test its test accuracy, or null until its end of task tested it
 * @param score the engine's score (accuracy with the size penalty)
 * @param activatedParams parameters of every component the path uses
 * @param newParams parameters created or cloned for the path
 */
public record LeaderboardEntry(String task, long pathId, Double validation, Double test, double score,
        long activatedParams, long newParams) {}
