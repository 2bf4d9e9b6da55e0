package org.munet.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.munet.system.Component;
import org.munet.system.Hyperparams;
import org.munet.system.PathMetrics;
import org.munet.system.Population;
import org.munet.system.Progress;
import org.munet.system.SystemState;
import org.munet.system.TaskPath;

/**
 * A small committed state built through the store's own API, the way evolve writes one:
 *
 * <pre>
 * version 1: components 0, 1 (root); path 0 = [0, 1]
 * version 2: components 0, 1, 2;     paths 0 and 1 = [0, 2]      (2 promoted from staging)
 * version 3: components 0, 1, 3;     paths 0 and 2 = [0, 3]      next_component_id 6
 * </pre>
 *
 * Component 2 is referenced by version 2 only, so only a check of every version sees it; ids 4 and 5
 * are handed out by nobody (below next_component_id), ids from 6 on are the next run's.
 */
public final class TestStates {

    /** The state's directory, its store and each component's bytes by id. */
    public record Built(Path dir, StateStore store, Map<Long, byte[]> components) {
        public long bytes() {
            return components.values().stream().mapToLong(b -> b.length).sum();
        }
    }

    private TestStates() {}

    /** Builds the three-version state in {@code dir} (a local path), opened as {@code variant}. */
    public static Built build(Path dir) {
        return build(dir, StoreVariant.FILE_URI);
    }

    static Built build(Path dir, StoreVariant variant) {
        StateStore store = variant.open(dir);
        Map<Long, byte[]> bytes = new TreeMap<>();
        for (long id = 0; id <= 3; id++) {
            bytes.put(id, content(id));
        }
        store.putConfig("seed: 3\n".getBytes(UTF_8));
        Component c0 = component(0, store.putComponentDirect(0, bytes.get(0L)));
        Component c1 = component(1, store.putComponentDirect(1, bytes.get(1L)));
        TaskPath root = path(0, null, List.of(0L, 1L));

        Population v1 = population(0, List.of(c0, c1), List.of(root));
        store.writeHistory(1, new byte[0]);
        store.commitManifest(1, SystemManifest.encode(1, state(v1)));

        Component c2 = component(2, store.putStagedComponent("run-2", 2, bytes.get(2L)));
        store.promoteStaged("run-2", 2, c2.sha256());
        store.deleteStaging("run-2");
        TaskPath p1 = path(1, 0L, List.of(0L, 2L));
        Population v2 = population(0, List.of(c0, c1, c2), List.of(root, p1));
        store.writeHistory(2, history(p1, c2));
        store.commitManifest(2, SystemManifest.encode(2, state(v2)));

        Component c3 = component(3, store.putComponentDirect(3, bytes.get(3L)));
        TaskPath p2 = path(2, 0L, List.of(0L, 3L));
        Population v3 = population(6, List.of(c0, c1, c3), List.of(root, p2));
        store.writeHistory(3, history(p2, c3));
        store.commitManifest(3, SystemManifest.encode(3, state(v3)));
        return new Built(dir, store, bytes);
    }

    /** Distinct bytes per id, of distinct lengths. */
    static byte[] content(long id) {
        byte[] b = new byte[1000 + 10 * (int) id];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + id * 7);
        }
        return b;
    }

    private static Component component(long id, String sha) {
        return new Component(id, "block" + id, "[4,4]", 16, 0, sha, Set.of());
    }

    private static TaskPath path(long id, Long parent, List<Long> components) {
        return new TaskPath(id, id == 0 ? Component.NOT_TRAINABLE : "mnist", parent, components,
                Hyperparams.of(Map.of("opt_lr", 0.05)), PathMetrics.none());
    }

    private static Population population(long nextComponentId, List<Component> components, List<TaskPath> paths) {
        Population p = Population.empty(0, nextComponentId);
        for (Component c : components) {
            p = p.withComponent(c);
        }
        for (TaskPath path : paths) {
            p = p.withPath(path);
        }
        return p.withSeeds(List.of(0L));
    }

    private static SystemState state(Population population) {
        return new SystemState(population, Progress.start(), "cfg", 100, null);
    }

    private static byte[] history(TaskPath p, Component c) {
        return ("{\"path\":" + SystemManifest.path(p) + "}\n{\"component\":" + SystemManifest.component(c) + "}\n")
                .getBytes(UTF_8);
    }
}
