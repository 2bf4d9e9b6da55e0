package org.munet.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.munet.store.Leftover;
import org.munet.store.ManifestKind;
import org.munet.store.Retention;
import org.munet.store.StateCollection;
import org.munet.store.StateRepair;
import org.munet.store.StateReport;
import org.munet.store.StateStore;
import org.munet.store.StateVerifier;
import org.munet.store.SystemManifest;
import org.munet.system.Component;
import org.munet.system.Hyperparams;
import org.munet.system.PathMetrics;
import org.munet.system.Population;
import org.munet.system.Progress;
import org.munet.system.SystemState;
import org.munet.system.TaskPath;

/**
 * Retention, deltas and garbage collection through the real sink and store, on systems that change
 * the way the engine changes them (task start, generations adding components and paths, task end
 * keeping the best): every kept version reads back as committed, exactly the versions the retention
 * names are kept, and the component files are exactly those the kept versions reference.
 */
class BoundedStateTest {

    @TempDir
    Path dir;

    /** What the test committed: every version's state and kind, in order. */
    private final Map<Long, SystemState> committed = new TreeMap<>();
    private final Map<Long, Boolean> taskEnd = new TreeMap<>();

    @Test
    void keptVersionsReadBackAndOnlyTheirComponentsStay() {
        StateStore store = StateStore.open(dir.resolve("state").toString(), new Configuration(false));
        Retention retention = Retention.keepLast(3);
        Grower grower = new Grower(store, retention);
        List<long[]> sizes = new ArrayList<>(); // per visit: its last delta's and its checkpoint's bytes
        for (int visit = 0; visit < 12; visit++) {
            grower.visit("task" + visit, 4, () -> checkAll(store, retention));
            long last = store.latestVersion().orElseThrow();
            assertEquals(ManifestKind.CHECKPOINT, store.manifestKinds().get(last), "a task end is a checkpoint");
            sizes.add(new long[] {store.readManifest(last - 1, ManifestKind.DELTA).length,
                    store.readManifest(last, ManifestKind.CHECKPOINT).length});
        }
        // A generation writes what it changed: its delta stays the same size while the system grows.
        long[] early = sizes.get(1);
        long[] late = sizes.get(sizes.size() - 1);
        assertTrue(late[1] > 3 * early[1], "the checkpoints grew: " + early[1] + " -> " + late[1]);
        assertTrue(late[0] < 1.5 * early[0], "the deltas did not: " + early[0] + " -> " + late[0]);
    }

    @Test
    void keepAllKeepsEveryVersionAndEveryComponent() {
        StateStore store = StateStore.open(dir.resolve("state").toString(), new Configuration(false));
        Grower grower = new Grower(store, Retention.all());
        for (int visit = 0; visit < 4; visit++) {
            grower.visit("task" + visit, 3, () -> { });
        }
        assertEquals(committed.keySet(), store.manifestVersions());
        assertEquals(grower.promoted, store.componentFiles());
        for (long v : committed.keySet()) {
            assertEquals(manifest(v, committed.get(v)), manifest(v, SystemManifest.read(store, v).state()));
        }
    }

    @Test
    void aCollectionKilledBetweenManifestsAndComponentsIsFinishedByTheNextOneOrByRepair() {
        StateStore store = StateStore.open(dir.resolve("state").toString(), new Configuration(false));
        Grower grower = new Grower(store, Retention.all()); // nothing collected while growing
        for (int visit = 0; visit < 3; visit++) {
            grower.visit("task" + visit, 4, () -> { });
        }
        Set<Long> before = store.componentFiles();
        StateCollection dying = new StateCollection(store, Retention.keepLast(2), phase -> {
            if (phase.equals("collect-components")) {
                throw new IllegalStateException("killed in " + phase);
            }
        });
        assertThrows(IllegalStateException.class, dying::collect);
        StateReport report = StateVerifier.verify(store);
        assertTrue(report.healthy(), report.lines().toString());
        List<String> pending = report.leftovers().stream().filter(l -> l.kind() == Leftover.Kind.PENDING_COLLECTION)
                .map(Leftover::path).toList();
        assertFalse(pending.isEmpty(), "the journaled components are listed: " + report.leftovers());
        assertEquals(before, store.componentFiles(), "nothing was deleted past the kill");

        // fsck --repair finishes the journal; so would the next collection (below, with nothing left).
        StateReport repaired = StateRepair.repair(store);
        assertTrue(repaired.healthy(), repaired.lines().toString());
        assertEquals(List.of(), repaired.leftovers());
        assertEquals(pending.size(), repaired.removed().stream()
                .filter(l -> l.kind() == Leftover.Kind.PENDING_COLLECTION).count());
        assertEquals(new StateCollection.Collected(0, 0),
                new StateCollection(store, Retention.keepLast(2), phase -> { }).collect());
        checkAll(store, Retention.keepLast(2));
    }

    /** The state holds exactly what {@code retention} keeps of what was committed, and nothing else. */
    private void checkAll(StateStore store, Retention retention) {
        long latest = store.latestVersion().orElseThrow();
        TreeSet<Long> expected = new TreeSet<>();
        committed.keySet().stream().filter(v -> v > latest - retention.keepLast()).forEach(expected::add);
        taskEnd.forEach((v, end) -> {
            if (end) {
                expected.add(v);
            }
        });
        for (long v : new ArrayList<>(expected)) {
            if (!taskEnd.get(v)) {
                expected.add(taskEnd.entrySet().stream().filter(e -> e.getValue() && e.getKey() < v)
                        .mapToLong(Map.Entry::getKey).max().orElseThrow()); // its checkpoint
            }
        }
        assertEquals(expected, new TreeSet<>(store.manifestVersions()), "kept versions after " + latest);
        Set<Long> referenced = new TreeSet<>();
        for (long v : expected) {
            SystemState read = SystemManifest.read(store, v).state();
            assertEquals(manifest(v, committed.get(v)), manifest(v, read), "version " + v + " reads back");
            read.population().components().forEach(c -> referenced.add(c.id()));
        }
        assertEquals(referenced, store.componentFiles(), "component files are those kept versions reference");
        StateReport full = StateVerifier.verify(store);
        assertTrue(full.healthy(), full.lines().toString());
        assertEquals(List.of(), full.leftovers());
    }

    /** A checkpoint of {@code state} without its time stamp: equal bytes mean equal systems. */
    private static String manifest(long version, SystemState state) {
        return new String(SystemManifest.encode(version, state), StandardCharsets.UTF_8)
                .replaceAll("\"written_at\" : \"[^\"]*\"", "");
    }

    /** Changes a system the way the engine does, committing through the real sink. */
    private final class Grower {
        private final StateStore store;
        private final StoreStateSink sink;
        private final SplittableRandom random = new SplittableRandom(7);
        private final Set<Long> promoted = new TreeSet<>();
        private SystemState state;

        Grower(StateStore store, Retention retention) {
            this.store = store;
            store.putConfig("seed: 7\n".getBytes(StandardCharsets.UTF_8)); // as evolve writes a new state
            org.munet.store.StateFormat.ensureCurrent(store);
            this.sink = new StoreStateSink(store, 0, () -> { }, retention);
            Population root = Population.empty(0, 0);
            for (long id = 0; id < 3; id++) {
                root = root.withComponent(component(id, "root", store.putComponentDirect(id, bytes(id))));
                promoted.add(id);
            }
            root = root.withPath(new TaskPath(root.nextPathId(), Component.NOT_TRAINABLE, null, List.of(0L, 1L, 2L),
                    Hyperparams.of(Map.of("opt_lr", 0.05)), PathMetrics.none()));
            state = new SystemState(root, Progress.start(), "identity", 100, null);
            commit(null, List.of(), List.of());
        }

        void visit(String task, int generations, Runnable check) {
            Population p = state.population().startTask(task, random.split());
            state = state.withPopulation(p).withProgress(state.progress().startVisit(task))
                    .withClassNames(task, List.of("a", "b"));
            for (int g = 0; g < generations; g++) {
                String run = "run-" + state.progress().visitIndex() + "-" + g;
                p = state.population();
                List<TaskPath> created = new ArrayList<>();
                List<Component> components = new ArrayList<>();
                for (int child = 0; child < 2; child++) {
                    List<TaskPath> parents = p.paths();
                    TaskPath parent = parents.get(random.nextInt(parents.size()));
                    List<Long> ids = new ArrayList<>(parent.componentIds());
                    long id = p.nextComponentId();
                    Component c = component(id, task, store.putStagedComponent(run, id, bytes(id)));
                    ids.set(random.nextInt(ids.size()), id);
                    TaskPath path = new TaskPath(p.nextPathId(), task, parent.id(), ids,
                            Hyperparams.of(Map.of("opt_lr", 0.01 * (1 + random.nextInt(9)))),
                            PathMetrics.none().trained(List.of(random.nextDouble()), random.nextDouble(), true,
                                    1.0, 100, null));
                    created.add(path);
                    if (random.nextInt(3) > 0) { // kept: its component is promoted at the commit
                        p = p.withComponent(c).withPath(path);
                        components.add(c);
                        promoted.add(id);
                    } else {
                        p = p.withIdsUsedBelow(path.id() + 1, id + 1);
                    }
                }
                if (!p.seeds().isEmpty()) {
                    p = p.withSeedsRotatedAfter(0);
                }
                state = state.withPopulation(p).withProgress(state.progress().afterGeneration(g + 1.0));
                commit(run, created, components);
                check.run();
            }
            Population before = state.population();
            Population ended = before.pathsOf(task).isEmpty() ? before
                    : before.endTask(task, path -> path.metrics().quality() == null ? 0 : path.metrics().quality());
            state = state.withPopulation(ended).withProgress(state.progress().endVisit());
            commit(null, List.of(), List.of());
            check.run();
        }

        private void commit(String run, List<TaskPath> paths, List<Component> components) {
            sink.commit(state, run, paths, components);
            committed.put(sink.version(), state);
            taskEnd.put(sink.version(), SystemManifest.isTaskEnd(state));
        }
    }

    private static Component component(long id, String task, String sha) {
        return new Component(id, "block" + (id % 3), "[4,4]", 16, task.equals("root") ? 0 : id, sha,
                task.equals("root") ? Set.of() : Set.of(task));
    }

    private static byte[] bytes(long id) {
        byte[] b = new byte[64 + (int) (id % 7)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 13 + id * 5);
        }
        return b;
    }
}
