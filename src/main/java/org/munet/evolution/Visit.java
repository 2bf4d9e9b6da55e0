package org.munet.evolution;

/**
 * One task iteration (spec §2): a number of generations of candidates for one task, then the end of
 * task.
 *
 * @param task the task
 * @param iteration which visit of the task this is, from 1
 */
public record Visit(TaskSpec task, int iteration) {

    /** Whether this visit introduces the task to the system. */
    public boolean introduction() {
        return iteration == 1;
    }
}
