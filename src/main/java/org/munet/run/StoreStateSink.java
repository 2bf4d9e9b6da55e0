package org.munet.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.munet.evolution.PhaseTrace;
import org.munet.evolution.StateSink;
import org.munet.evolution.TestRecord;
import org.munet.store.StateStore;
import org.munet.store.SystemManifest;
import org.munet.system.Component;
import org.munet.system.SystemState;
import org.munet.system.TaskPath;

/**
 * Commits system versions to the state store: promote the kept candidates' staged component files,
 * append the history of everything created, then publish the manifest (the commit point: until
 * it is renamed into place the previous version stays the state).
 */
public final class StoreStateSink implements StateSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateStore store;
    private final Runnable fence;
    private final org.munet.store.Retention retention;
    private long version;

    /**
     * @param fence called before every commit; throws when this run no longer holds the state's lock
     *     (another run took it over), so that two runs never both write
     */
    public StoreStateSink(StateStore store, long committedVersion, Runnable fence,
            org.munet.store.Retention retention) {
        this.fence = fence;
        this.retention = retention;
        this.store = store;
        this.version = committedVersion;
    }

    public long version() {
        return version;
    }

    @Override
    public void commit(SystemState state, String runId, List<TaskPath> createdPaths,
            List<Component> createdComponents) {
        commit(state, runId, createdPaths, createdComponents, List.of());
    }

    @Override
    public void commit(SystemState state, String runId, List<TaskPath> createdPaths,
            List<Component> createdComponents, List<TestRecord> tests) {
        long next = version + 1;
        PhaseTrace.mark("commit");
        fence.run(); // before promoting: promotion already writes into components/
        for (Component c : createdComponents) {
            store.promoteStaged(runId, c.id(), c.sha256());
        }
        store.writeHistory(next, history(createdPaths, createdComponents, tests));
        PhaseTrace.mark("commit-manifest");
        store.commitManifest(next, SystemManifest.encode(next, state));
        version = next;
        if (runId != null) {
            store.deleteStaging(runId);
        }
    }

    /** One JSON object per line: {"path": ...} or {"component": ...}. */
    static byte[] history(List<TaskPath> paths, List<Component> components) {
        return history(paths, components, List.of());
    }

    /** One JSON object per line: {"path": ...}, {"component": ...} or {"test": ...}. */
    static byte[] history(List<TaskPath> paths, List<Component> components, List<TestRecord> tests) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (TaskPath p : paths) {
                ObjectNode line = JSON.createObjectNode();
                line.set("path", SystemManifest.path(p));
                out.write(JSON.writeValueAsBytes(line));
                out.write('\n');
            }
            for (Component c : components) {
                ObjectNode line = JSON.createObjectNode();
                line.set("component", SystemManifest.component(c));
                out.write(JSON.writeValueAsBytes(line));
                out.write('\n');
            }
            for (TestRecord t : tests) {
                ObjectNode line = JSON.createObjectNode();
                line.set("test", JSON.valueToTree(t));
                out.write(JSON.writeValueAsBytes(line));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
