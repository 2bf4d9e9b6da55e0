package org.munet.system;

/**
 * Where a run stands, persisted with every state version so that a restarted run continues at the
 * next uncommitted generation.
 *
 * @param loop task iteration index in [0, tasks x task_iterations)
 * @param generation next generation to run within the loop
 * @param taskStarted whether the loop's task start (seed shuffle, own unlock) has been applied
 * @param computeSeconds summed candidate training seconds so far (core-seconds)
 */
public record Progress(int loop, int generation, boolean taskStarted, double computeSeconds) {

    public static Progress start() {
        return new Progress(0, 0, false, 0);
    }
}
