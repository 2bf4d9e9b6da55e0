package org.munet.evolution;

import java.io.Serializable;

/**
 * Test accuracy of a path, and a digest of its predictions so that immunity (a task's predictions
 * never change once other tasks are added) can be checked bit for bit.
 */
public record TestResult(long pathId, double accuracy, long examples, String predictionsSha256,
        double seconds) implements Serializable {}
