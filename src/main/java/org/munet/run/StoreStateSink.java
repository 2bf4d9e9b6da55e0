package org.munet.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.munet.evolution.PhaseTrace;
import org.munet.evolution.StateSink;
import org.munet.evolution.TestRecord;
import org.munet.store.ManifestDelta;
import org.munet.store.ManifestKind;
import org.munet.store.Retention;
import org.munet.store.StateCollection;
import org.munet.store.StateStore;
import org.munet.store.SystemManifest;
import org.munet.system.Component;
import org.munet.system.SystemState;
import org.munet.system.TaskPath;

/**
 * Commits system versions to the state store: promote the kept candidates' staged component files,
 * append the history of everything created, then publish the manifest (the commit point: until
 * it is renamed into place the previous version stays the state), then collect what the state's
 * {@link Retention} no longer keeps ({@link StateCollection}).
 *
 * <p>Task ends (and a new system's first version) are written as checkpoints, the generations in
 * between as deltas on the checkpoint their visit started from ({@link ManifestDelta}), so that a
 * commit writes what the generation changed, not the whole system.
 */
public final class StoreStateSink implements StateSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateStore store;
    private final Runnable fence;
    private final StateCollection collection;
    private long version;
    /** The checkpoint the next delta is written against; loaded when first needed. */
    private ManifestDelta.Base base;

    /**
     * @param fence called before every commit; throws when this run no longer holds the state's lock
     *     (another run took it over), so that two runs never both write
     * @param retention which versions the state keeps; collected after every commit
     */
    public StoreStateSink(StateStore store, long committedVersion, Runnable fence, Retention retention) {
        this(store, committedVersion, fence, retention, null);
    }

    /**
     * @param base the checkpoint {@code committedVersion} was written against, when the caller has read
     *     it already (resuming reads it); null to read it when the first delta needs it
     */
    public StoreStateSink(StateStore store, long committedVersion, Runnable fence, Retention retention,
            SystemManifest.Loaded base) {
        this.fence = fence;
        this.collection = new StateCollection(store, retention, PhaseTrace::mark);
        this.store = store;
        this.version = committedVersion;
        this.base = base == null ? null : ManifestDelta.Base.of(base.version(), base.state());
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
        Manifest manifest = manifest(next, state);
        store.writeHistory(next, history(createdPaths, createdComponents, tests, state, manifest.kind()));
        PhaseTrace.mark("commit-manifest");
        store.commitManifest(next, manifest.bytes(), manifest.kind());
        if (manifest.kind() == ManifestKind.CHECKPOINT) {
            base = ManifestDelta.Base.of(next, state);
        }
        version = next;
        if (runId != null) {
            store.deleteStaging(runId);
        }
        collection.collect();
    }

    /** A version's manifest as it is committed. */
    private record Manifest(ManifestKind kind, byte[] bytes) {}

    /** Version {@code next} as a delta on the visit's checkpoint, or as a checkpoint at a task end. */
    private Manifest manifest(long next, SystemState state) {
        if (!SystemManifest.isTaskEnd(state) && version > 0) {
            if (base == null) {
                SystemManifest.Loaded b = SystemManifest.readWithBase(store, version).base();
                base = ManifestDelta.Base.of(b.version(), b.state());
            }
            Optional<byte[]> delta = ManifestDelta.encode(next, base, state);
            if (delta.isPresent()) {
                return new Manifest(ManifestKind.DELTA, delta.get());
            }
            // A change a delta cannot express keeps its order (see ManifestDelta): written whole.
        }
        return new Manifest(ManifestKind.CHECKPOINT, SystemManifest.encode(next, state));
    }

    /**
     * One JSON object per line: {"path": ...}, {"component": ...}, {"test": ...}, and last
     * {"system": ...}: the version's size (tasks, paths, components, parameters), which the report's
     * growth chart reads instead of every manifest (most of which retention drops), and how its
     * manifest was written, by which fsck tells a dropped delta from a lost checkpoint.
     */
    static byte[] history(List<TaskPath> paths, List<Component> components, List<TestRecord> tests,
            SystemState state, ManifestKind kind) {
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
            if (state != null) {
                ObjectNode line = JSON.createObjectNode();
                ObjectNode system = JSON.valueToTree(SystemSize.of(state.population()));
                system.put("manifest", kind.name().toLowerCase(java.util.Locale.ROOT));
                line.set("system", system);
                out.write(JSON.writeValueAsBytes(line));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
