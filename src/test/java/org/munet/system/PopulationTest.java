package org.munet.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.munet.testing.PopulationBuilder;

/** Seeds, best path, end of task (keep, lock, prune, re-link) and start of task (spec §1.7, §2.3, §2.7). */
class PopulationTest {

    private static final String NT = Component.NOT_TRAINABLE;
    private static final Hyperparams H = Hyperparams.of(Map.of("_mu_", 0.1));
    /** Score = quality; the root (no quality) scores -inf. */
    private static final ToDoubleFunction<TaskPath> QUALITY =
            p -> p.metrics().quality() == null ? Double.NEGATIVE_INFINITY : p.metrics().quality();

    private static Component comp(PopulationBuilder pop, long id, String... locks) {
        return pop.addComponent(new Component(id, "c" + id, "[1]", 100, -1, "sha" + id, Set.of(locks)));
    }

    private static TaskPath path(PopulationBuilder pop, long id, String task, Long parent, Double quality,
            Long... comps) {
        return pop.addPath(new TaskPath(id, task, parent, List.of(comps), H, quality(quality)));
    }

    /** Untrained metrics with a quality. */
    private static PathMetrics quality(Double quality) {
        return new PathMetrics(quality, List.of(), null, null, 0, Map.of(), 0, false, false, Map.of(), 0, 0, 0,
                null, 0, 0, 0, null);
    }

    /** The ids of the components {@code before} had and {@code after} has not: those an end of task dropped. */
    private static Set<Long> dropped(Population before, Population after) {
        Set<Long> out = idsOf(before.components());
        out.removeAll(idsOf(after.components()));
        return out;
    }

    private static List<Long> ids(List<TaskPath> paths) {
        List<Long> out = new ArrayList<>();
        paths.forEach(p -> out.add(p.id()));
        return out;
    }

    // ---- seed rotation (spec §2.3) ----

    @Test
    void rotateAfterAcceptedIndex() {
        Population pop = Population.empty(0, 0).withSeeds(List.of(10L, 11L, 12L, 13L)); // a b c d
        Population r1 = pop.withSeedsRotatedAfter(1); // accepted b: [c, d] + [a, b]
        assertEquals(List.of(12L, 13L, 10L, 11L), r1.seeds());
        assertEquals(List.of(10L, 11L, 12L, 13L), pop.seeds()); // the input keeps its order
        Population r2 = r1.withSeedsRotatedAfter(0); // accepted c: [d, a, b] + [c]
        assertEquals(List.of(13L, 10L, 11L, 12L), r2.seeds());
        assertEquals(List.of(12L, 13L, 10L, 11L), r1.seeds());
        Population r3 = r2.withSeedsRotatedAfter(3); // accepted the last: order unchanged
        assertEquals(List.of(13L, 10L, 11L, 12L), r3.seeds());
    }

    // ---- best path (spec §1.6, §10.8) ----

    @Test
    void bestPathTiesGoToTheNewestEvenWhenInsertedFirst() {
        PopulationBuilder pop = new PopulationBuilder();
        path(pop, 5, "A", null, 0.9);
        path(pop, 3, "A", null, 0.9);
        path(pop, 4, "A", null, 0.7);
        assertEquals(5, pop.get().bestPath("A", QUALITY).id());
        path(pop, 9, "A", null, 0.9);
        assertEquals(9, pop.get().bestPath("A", QUALITY).id());
        path(pop, 2, "A", null, 0.91); // strictly higher beats newer
        assertEquals(2, pop.get().bestPath("A", QUALITY).id());
        assertNull(pop.get().bestPath("B", QUALITY));
    }

    // ---- end of task (spec §2.7) ----

    @Test
    void endTaskKeepsBestLocksItDropsUnusedComponentsAndDeadSeeds() {
        PopulationBuilder b = new PopulationBuilder();
        comp(b, 0, NT);                 // root's
        comp(b, 1);                     // a1's own
        comp(b, 2);                     // a2's own
        comp(b, 3);                     // a3's own
        comp(b, 4, "B");                // b1's own
        comp(b, 5, "B");                // shared by b1 and a2 (a2 adopted it frozen)
        path(b, 0, NT, null, null, 0L);
        path(b, 1, "B", 0L, 0.5, 0L, 4L, 5L);
        path(b, 2, "A", 0L, 0.7, 0L, 1L);
        path(b, 3, "A", 0L, 0.9, 0L, 5L, 2L);
        path(b, 4, "A", 0L, 0.9, 0L, 3L); // ties with 3, newer: kept
        b.setSeeds(List.of(0L, 2L, 1L));
        Population before = b.get();

        Population pop = before.endTask("A", QUALITY);
        Set<Long> dropped = dropped(before, pop);

        assertEquals(Set.of(1L, 2L), dropped);       // 5 is still used by b1
        assertEquals(List.of(4L), ids(pop.pathsOf("A")));
        assertFalse(pop.hasPath(2));
        assertFalse(pop.hasPath(3));
        assertEquals(Set.of(NT, "A"), pop.component(0).locks());
        assertEquals(Set.of("A"), pop.component(3).locks());
        assertEquals(Set.of("B"), pop.component(5).locks()); // not A's any more: no A lock added
        assertEquals(List.of(0L, 1L), pop.seeds());  // the dead seed 2 is gone, order kept
        assertEquals(Set.of(0L, 3L, 4L, 5L), idsOf(pop.components()));

        // the population the task ended in is as it was
        assertEquals(List.of(2L, 3L, 4L), ids(before.pathsOf("A")));
        assertEquals(Set.of(0L, 1L, 2L, 3L, 4L, 5L), idsOf(before.components()));
        assertEquals(Set.of(NT), before.component(0).locks());
        assertTrue(before.component(3).isTrainable());
        assertEquals(List.of(0L, 2L, 1L), before.seeds());
    }

    private static Set<Long> idsOf(List<Component> comps) {
        Set<Long> out = new HashSet<>();
        comps.forEach(c -> out.add(c.id()));
        return out;
    }

    @Test
    void endTaskWithoutPathsFails() {
        Population pop = Population.empty(0, 0);
        assertThrows(IllegalStateException.class, () -> pop.endTask("A", QUALITY));
    }

    // ---- re-linking to the nearest live ancestor (spec §2.7 step 4) ----

    @Test
    void prunedChainRelinksToTheRoot() {
        // root(0) <- p1(A) <- p2(A) <- p3(A, best): p1 and p2 are pruned, p3's parent becomes the root.
        PopulationBuilder b = new PopulationBuilder();
        comp(b, 0, NT);
        comp(b, 1);
        comp(b, 2);
        comp(b, 3);
        path(b, 0, NT, null, null, 0L);
        path(b, 1, "A", 0L, 0.5, 0L, 1L);
        path(b, 2, "A", 1L, 0.6, 0L, 2L);
        path(b, 3, "A", 2L, 0.9, 0L, 3L);
        Population before = b.get();
        Population pop = before.endTask("A", QUALITY);
        assertEquals(Set.of(1L, 2L), dropped(before, pop));
        assertEquals(0L, pop.path(3).parentId());
        assertNull(pop.path(0).parentId());
        assertEquals(2L, before.path(3).parentId()); // the input keeps its links
    }

    @Test
    void middleBestKeepsItsOwnParentAndOrphansAreGone() {
        // root(0) <- p1(A) <- p2(A, best) <- p3(A): p2's parent p1 is pruned -> root.
        PopulationBuilder b = new PopulationBuilder();
        comp(b, 0, NT);
        path(b, 0, NT, null, null, 0L);
        path(b, 1, "A", 0L, 0.5, 0L);
        path(b, 2, "A", 1L, 0.9, 0L);
        path(b, 3, "A", 2L, 0.6, 0L);
        Population before = b.get();
        Population pop = before.endTask("A", QUALITY);
        assertEquals(List.of(0L, 2L), ids(pop.paths()));
        assertEquals(0L, pop.path(2).parentId());
        assertEquals(List.of(0L, 1L, 2L, 3L), ids(before.paths()));
        assertEquals(1L, before.path(2).parentId());
    }

    @Test
    void relinkingPassesThroughAnotherTasksLivePath() {
        // Iteration 1: a1 (A) child of root; B adopted a1: b1 (B) child of a1, sharing a1's component 1.
        // Iteration 2 of A: a2 child of b1, a3 child of a2 (best). After the end of A:
        //   b1's parent a1 is pruned -> a1's parent, the root;
        //   a3's parent a2 is pruned -> a2's parent b1, which is live.
        PopulationBuilder b = new PopulationBuilder();
        comp(b, 0, NT, "A", "B");
        comp(b, 1, "A", "B");  // a1's, adopted by b1
        comp(b, 2, "B");       // b1's head
        path(b, 0, NT, null, null, 0L);
        path(b, 1, "A", 0L, 0.5, 0L, 1L);
        path(b, 2, "B", 1L, 0.6, 0L, 1L, 2L);
        Population ended = b.get();

        b.set(ended.startTask("A", new SplittableRandom(1)));
        // A's lock is removed from a1's components; B's and the root's stay.
        assertEquals(Set.of(NT, "B"), b.get().component(0).locks());
        assertEquals(Set.of("B"), b.get().component(1).locks());
        assertEquals(Set.of("A", "B"), ended.component(1).locks()); // not in the population it started from
        comp(b, 3);
        comp(b, 4);
        path(b, 3, "A", 2L, 0.7, 0L, 1L, 3L);
        path(b, 4, "A", 3L, 0.8, 0L, 4L);  // best, no longer uses component 1
        Population before = b.get();

        Population pop = before.endTask("A", QUALITY);
        Set<Long> dropped = dropped(before, pop);

        assertEquals(Set.of(3L), dropped);   // 1 is still b1's
        assertEquals(List.of(0L, 2L, 4L), ids(pop.paths()));
        assertEquals(0L, pop.path(2).parentId());
        assertEquals(2L, pop.path(4).parentId());
        assertEquals(Set.of("B"), pop.component(1).locks()); // charged to B alone now
        assertEquals(Set.of("A"), pop.component(4).locks());
        assertEquals(Set.of(NT, "A", "B"), pop.component(0).locks());
    }

    // ---- start of task (spec §1.7, §2.3) ----

    @Test
    void startTaskSeedsExcludeOwnAndPrivateIncludeRootAndUnlockOnlyOwnLock() {
        PopulationBuilder b = new PopulationBuilder();
        comp(b, 0, NT, "A", "private:C");
        comp(b, 1, "A");           // A's own
        comp(b, 2, "A", "B");      // shared A and B
        comp(b, 3, "private:C");
        path(b, 0, NT, null, null, 0L);
        path(b, 1, "A", 0L, 0.8, 0L, 1L, 2L);
        path(b, 2, "B", 1L, 0.7, 2L);
        path(b, 3, "private:C", 0L, 0.6, 0L, 3L);
        Population before = b.get();

        Population pop = before.startTask("A", new SplittableRandom(3));

        assertEquals(List.of(), before.seeds()); // the input is as it was
        assertEquals(Set.of(NT, "A", "private:C"), before.component(0).locks());
        assertEquals(Set.of("A"), before.component(1).locks());
        assertEquals(Set.of(0L, 2L), new HashSet<>(pop.seeds()));
        assertEquals(2, pop.seeds().size());
        assertEquals(Set.of(NT, "private:C"), pop.component(0).locks());
        assertTrue(pop.component(1).isTrainable());
        assertEquals(Set.of("B"), pop.component(2).locks());
        assertEquals(Set.of("private:C"), pop.component(3).locks());

        // A private task's own paths are excluded too; other public ones and the root are offered.
        Population c = pop.startTask("private:C", new SplittableRandom(3));
        assertEquals(Set.of(0L, 1L, 2L), new HashSet<>(c.seeds()));
        assertEquals(Set.of(NT), c.component(0).locks());
        assertEquals(Set.of(0L, 2L), new HashSet<>(pop.seeds()));
        assertEquals(Set.of(NT, "private:C"), pop.component(0).locks());
    }

    @Test
    void startTaskShufflesWithTheGivenStream() {
        // Candidates in insertion order [root 0, x 1, y 2]. Fisher-Yates from the end, derived by hand:
        // i = 2: j = nextInt(3), swap(2, j); i = 1: j = nextInt(2), swap(1, j).
        Set<List<Long>> orders = new HashSet<>();
        for (long seed = 0; seed < 60; seed++) {
            PopulationBuilder b = new PopulationBuilder();
            path(b, 0, NT, null, null);
            path(b, 1, "X", 0L, 0.5);
            path(b, 2, "Y", 0L, 0.5);
            path(b, 3, "T", 0L, 0.5);
            Population pop = b.get().startTask("T", new SplittableRandom(seed));

            SplittableRandom twin = new SplittableRandom(seed);
            Long[] a = {0L, 1L, 2L};
            int j = twin.nextInt(3);
            Long t = a[2]; a[2] = a[j]; a[j] = t;
            j = twin.nextInt(2);
            t = a[1]; a[1] = a[j]; a[j] = t;
            assertEquals(List.of(a), pop.seeds(), "seed " + seed);
            orders.add(pop.seeds());
        }
        assertEquals(6, orders.size()); // every permutation of 3 seeds occurs
    }

    @Test
    void addPathChecksComponentsAndAdvancesCounters() {
        PopulationBuilder b = new PopulationBuilder();
        assertThrows(IllegalStateException.class, () -> path(b, 0, "A", null, 0.5, 7L));
        comp(b, 7);
        assertEquals(8, b.get().nextComponentId());
        Population withComponent = b.get();
        path(b, 4, "A", null, 0.5, 7L);
        assertEquals(5, b.get().nextPathId());
        assertThrows(IllegalStateException.class, () -> comp(b, 7));
        Population pop = b.get();
        assertSame(pop.path(4), pop.pathsOf("A").get(0));
        assertEquals(List.of("A"), pop.tasks());
        // each step returned a new value: the one before the path has no path and its old counter
        assertFalse(withComponent.hasPath(4));
        assertEquals(0, withComponent.nextPathId());
        assertEquals(List.of(), withComponent.tasks());
    }

    @Test
    void everyChangeReturnsANewValueAndLeavesItsInput() {
        PopulationBuilder b = new PopulationBuilder();
        comp(b, 0, NT);
        TaskPath a = path(b, 1, "A", null, 0.5, 0L);
        Population pop = b.get();

        Population locked = pop.withLock(0, "A");
        assertEquals(Set.of(NT, "A"), locked.component(0).locks());
        assertEquals(Set.of(NT), pop.component(0).locks());

        TaskPath better = a.withMetrics(quality(0.9));
        Population updated = pop.withUpdatedPath(better);
        assertEquals(0.9, updated.path(1).metrics().quality());
        assertEquals(0.5, pop.path(1).metrics().quality());
        assertThrows(IllegalArgumentException.class,
                () -> pop.withUpdatedPath(new TaskPath(1, "A", null, List.of(), H, quality(0.9))));
        assertThrows(IllegalArgumentException.class,
                () -> pop.withUpdatedPath(new TaskPath(1, "B", null, List.of(0L), H, quality(0.9))));
        assertThrows(IllegalArgumentException.class,       // not a live path
                () -> pop.withUpdatedPath(new TaskPath(7, "A", null, List.of(0L), H, quality(0.1))));

        Population counted = pop.withIdsUsedBelow(10, 20);
        assertEquals(10, counted.nextPathId());
        assertEquals(20, counted.nextComponentId());
        assertEquals(2, pop.nextPathId());
        assertEquals(1, pop.nextComponentId());
        Population lower = counted.withIdsUsedBelow(3, 4); // counters only ever rise
        assertEquals(10, lower.nextPathId());
        assertEquals(20, lower.nextComponentId());
    }

    @Test
    void privateTaskNames() {
        assertTrue(TaskNames.isPrivate("private:cmaterdb/telugu"));
        assertFalse(TaskNames.isPrivate("cmaterdb/telugu"));
        assertEquals("cmaterdb/telugu", TaskNames.datasetName("private:cmaterdb/telugu"));
    }
}
