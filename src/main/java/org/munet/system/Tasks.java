package org.munet.system;

/** Task-name conventions of the reference (spec §1.4). */
public final class Tasks {

    /** A task whose paths are never offered to other tasks as parents. */
    public static final String PRIVATE_PREFIX = "private:";

    private Tasks() {}

    public static boolean isPrivate(String task) {
        return task.startsWith(PRIVATE_PREFIX);
    }

    /** The dataset name behind a task name (without the private marker). */
    public static String datasetName(String task) {
        return isPrivate(task) ? task.substring(PRIVATE_PREFIX.length()) : task;
    }
}
