package org.munet.evolution;

import java.io.Serializable;

/**
 * Which generation a batch of candidates belongs to: where its outputs are staged, and how a
 * runner names the work (the Spark UI shows it as the job's description).
 *
 * @param stateUri the state store the candidates read from and stage into
 * @param runId the staging run, unique per (task iteration, generation)
 * @param task the task being evolved
 * @param iteration 1-based visit of the task
 * @param generation 1-based generation within the iteration
 * @param generations generations per iteration
 */
public record GenerationInfo(String stateUri, String runId, String task, int iteration, int generation,
        int generations) implements Serializable {

    /** e.g. "task mnist · iteration 1 · generation 2/3 · 2 candidates". */
    public String describe(int candidates) {
        return "task " + task + " · iteration " + iteration + " · generation " + generation + "/" + generations
                + " · " + candidates + " candidates";
    }
}
