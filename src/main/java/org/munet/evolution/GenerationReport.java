package org.munet.evolution;

/**
 * What one committed generation did, for progress lines and benchmarks.
 *
 * @param iteration 1-based visit of the task
 * @param generation 1-based generation within the iteration
 * @param bestScore the task's best score after the generation
 * @param elapsedSeconds since the run started
 * @param wallSeconds the generation's training wall time (all its candidates)
 * @param meanTrainSeconds mean training-and-validation time per candidate
 * @param meanOverheadSeconds mean time per candidate in the worker that was not training or
 *     validation: engine start, reading components and data, staging outputs
 * @param rejections candidates rejected by their worker (a non-finite loss, say), each as
 *     "path ID: reason"
 * @param outcomes every candidate, in order: kept, or rejected and why
 */
public record GenerationReport(String task, int iteration, int generation, int generations, int candidates,
        int kept, double bestScore, double elapsedSeconds, double wallSeconds, double meanTrainSeconds,
        double meanOverheadSeconds, java.util.List<String> rejections,
        java.util.List<CandidateOutcome> outcomes) {}
