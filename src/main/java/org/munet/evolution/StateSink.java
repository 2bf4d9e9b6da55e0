package org.munet.evolution;

import java.util.List;
import org.munet.system.Component;
import org.munet.system.SystemState;
import org.munet.system.TaskPath;

/**
 * Where the engine commits a new system version: after every generation and at every task end.
 * A commit must be atomic: either the whole new version is visible or the previous one stays.
 */
public interface StateSink {

    /**
     * @param state the system after the change
     * @param runId the staging run whose kept components become committed
     * @param createdPaths every path created by the change, kept or not (history)
     * @param createdComponents the components created and kept (their staged files are promoted)
     */
    void commit(SystemState state, String runId, List<TaskPath> createdPaths, List<Component> createdComponents);

    /**
     * A commit at the end of a task iteration, with the test passes run then ({@link TestRecord}),
     * which a sink that keeps a history records with the version; others may drop them.
     */
    default void commit(SystemState state, String runId, List<TaskPath> createdPaths,
            List<Component> createdComponents, List<TestRecord> tests) {
        commit(state, runId, createdPaths, createdComponents);
    }
}
