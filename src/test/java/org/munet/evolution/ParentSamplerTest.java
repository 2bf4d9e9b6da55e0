package org.munet.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
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
import org.junit.jupiter.api.Test;
import org.munet.system.Component;
import org.munet.system.Population;
import org.munet.system.TaskPath;
import org.munet.testing.PopulationBuilder;

/**
 * Parent sampling, PPDecay (spec §2.3). Where draws matter, the expectation is derived from a twin
 * {@code SplittableRandom(seed)} read in the order the spec consumes it: one nextDouble per candidate
 * tried (own paths best first, then seeds), then nextInt(size) for the uniform fallback.
 */
class ParentSamplerTest {

    private static final Scorer SCORER = new Scorer(1.0, 1000);

    private static TaskPath bare(PopulationBuilder pop, String task, Double quality, Map<String, Integer> offspring) {
        return PolicyFixtures.addBarePath(pop, task, quality, offspring);
    }

    /** What ChildBuilder.build does to a parent it got a child of for {@code task}. */
    private static Population countChild(Population pop, TaskPath parent, String task) {
        boolean ownTask = task.equals(parent.task());
        return pop.withUpdatedPath(parent.withMetrics(parent.metrics().withOffspring(task, ownTask)));
    }

    // ---- 1. acceptance probabilities ----

    @Test
    void zeroOffspringIsAlwaysAccepted() {
        PopulationBuilder pop = new PopulationBuilder();
        TaskPath p = bare(pop, "X", 0.5, Map.of());
        TaskPath q = bare(pop, "Y", 0.5, Map.of());
        for (long seed = 0; seed < 200; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            assertSame(p, ParentSampler.acceptFirst(List.of(p, q), "T", rng)); // 0.5^0 = 1 > any draw
            SplittableRandom twin = new SplittableRandom(seed);
            twin.nextDouble();
            assertEquals(twin.nextLong(), rng.nextLong(), "one draw for one candidate tried");
        }
    }

    @Test
    void kOffspringAcceptedIffDrawBelowHalfToTheK() {
        PopulationBuilder pop = new PopulationBuilder();
        TaskPath p = bare(pop, "X", 0.5, Map.of("T", 1)); // threshold 0.5
        TaskPath q = bare(pop, "Y", 0.5, Map.of("T", 2)); // threshold 0.25
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 300; seed++) {
            SplittableRandom twin = new SplittableRandom(seed);
            double u1 = twin.nextDouble();
            double u2 = twin.nextDouble();
            TaskPath expected = u1 < 0.5 ? p : (u2 < 0.25 ? q : null);
            TaskPath got = ParentSampler.acceptFirst(List.of(p, q), "T", new SplittableRandom(seed));
            assertSame(expected, got, "seed " + seed);
            seen.add(String.valueOf(got));
        }
        assertEquals(3, seen.size()); // p, q and nobody all happened
    }

    @Test
    void countsAreKeptPerTask() {
        PopulationBuilder pop = new PopulationBuilder();
        // 60 children for task A: 0.5^60 ~ 8.7e-19 < 2^-53, the smallest non-zero draw.
        TaskPath p = bare(pop, "X", 0.5, Map.of("A", 60));
        for (long seed = 0; seed < 100; seed++) {
            assertSame(p, ParentSampler.acceptFirst(List.of(p), "B", new SplittableRandom(seed)));
            SplittableRandom twin = new SplittableRandom(seed);
            TaskPath expected = twin.nextDouble() < Math.pow(0.5, 60) ? p : null; // only u == 0.0
            assertSame(expected, ParentSampler.acceptFirst(List.of(p), "A", new SplittableRandom(seed)));
        }
        assertNull(ParentSampler.acceptFirst(List.of(), "A", new SplittableRandom(1)));
    }

    // ---- 2. seeds in shuffled round-robin order ----

    @Test
    void newTaskCyclesThroughSeedsRoundRobin() {
        PopulationBuilder pop = new PopulationBuilder();
        bare(pop, Component.NOT_TRAINABLE, null, Map.of());
        bare(pop, "X", 0.6, Map.of("Y", 5));      // counts for other tasks do not matter
        bare(pop, "Y", 0.7, Map.of());
        bare(pop, "private:Z", 0.8, Map.of());    // never a seed
        bare(pop, "W", 0.9, Map.of());
        Population started = pop.get().startTask("T", new SplittableRandom(11));
        List<Long> initial = List.copyOf(started.seeds());
        assertEquals(Set.of(0L, 1L, 2L, 4L), new HashSet<>(initial));
        assertEquals(List.of(), pop.get().seeds()); // startTask returned the seeded population

        ParentSampler sampler = new ParentSampler(SCORER, false);
        SplittableRandom rng = new SplittableRandom(99);
        Population live = started;
        for (int i = 0; i < 4; i++) {
            List<Long> before = live.seeds();
            ParentSampler.Pick pick = sampler.sample(live, "T", rng);
            TaskPath parent = pick.parent();
            // the first seed is fresh (acceptance 1), so it is picked and rotated to the back
            assertEquals(initial.get(i), parent.id(), "pick " + i);
            List<Long> rotated = new ArrayList<>(initial.subList(i + 1, 4));
            rotated.addAll(initial.subList(0, i + 1));
            assertEquals(rotated, pick.population().seeds());
            assertEquals(before, live.seeds()); // the sampled population is untouched
            live = countChild(pick.population(), parent, "T"); // what ChildBuilder.build does
        }
        assertEquals(initial, live.seeds()); // a full cycle
        assertEquals(initial, started.seeds());

        // 5th pick: every seed has one child for T (acceptance 0.5 each). The first 4 picks drew once each.
        SplittableRandom twin = new SplittableRandom(99);
        for (int i = 0; i < 4; i++) {
            twin.nextDouble();
        }
        int accepted = -1;
        for (int i = 0; i < 4 && accepted < 0; i++) {
            if (twin.nextDouble() < 0.5) {
                accepted = i;
            }
        }
        long expected = accepted >= 0 ? initial.get(accepted) : initial.get(twin.nextInt(4));
        assertEquals(expected, sampler.sample(live, "T", rng).parent().id());
    }

    @Test
    void sampleReturnsTheRotatedPopulationAndLeavesItsInputUntouched() {
        PopulationBuilder pop = new PopulationBuilder();
        TaskPath s1 = bare(pop, "X", 0.6, Map.of());
        TaskPath s2 = bare(pop, "Y", 0.7, Map.of());
        TaskPath s3 = bare(pop, Component.NOT_TRAINABLE, null, Map.of());
        pop.setSeeds(List.of(s1.id(), s2.id(), s3.id()));
        Population input = pop.get();
        List<TaskPath> pathsBefore = input.paths();

        // no own path: the first seed is fresh (acceptance 1), accepted and rotated to the back
        ParentSampler.Pick pick = new ParentSampler(SCORER, false).sample(input, "T", new SplittableRandom(7));

        assertSame(s1, pick.parent());
        assertNotSame(input, pick.population());
        assertEquals(List.of(s2.id(), s3.id(), s1.id()), pick.population().seeds());
        assertEquals(List.of(s1.id(), s2.id(), s3.id()), input.seeds()); // the input is untouched
        assertEquals(pathsBefore, input.paths());
        // only the seeds differ: same paths (the parent's counters are ChildBuilder's), same ids to hand out
        assertEquals(pathsBefore, pick.population().paths());
        assertEquals(input.components(), pick.population().components());
        assertEquals(input.nextPathId(), pick.population().nextPathId());
        assertEquals(input.nextComponentId(), pick.population().nextComponentId());

        // sampling the same input again gives the same pick: nothing carried over from the first call
        ParentSampler.Pick again = new ParentSampler(SCORER, false).sample(input, "T", new SplittableRandom(7));
        assertSame(s1, again.parent());
        assertEquals(pick.population().seeds(), again.population().seeds());
        // sampling the returned one continues the round robin
        assertSame(s2, new ParentSampler(SCORER, false).sample(pick.population(), "T", new SplittableRandom(7))
                .parent());
    }

    @Test
    void roundRobinWithChildBuilderIncrementingCounters() {
        PopulationBuilder pop = new PopulationBuilder();
        var defaults = PolicyFixtures.hparams(0.0);
        TaskPath root = PolicyFixtures.addRoot(pop, defaults, 3);
        TaskPath a = PolicyFixtures.addKeptPath(pop, "A", root, defaults, 0.8, Set.of("encoder_norm", "head"));
        TaskPath b = PolicyFixtures.addKeptPath(pop, "B", a, defaults, 0.7, Set.of("encoder_norm", "head"));
        Population live = pop.get().startTask("C", new SplittableRandom(4));
        List<Long> initial = List.copyOf(live.seeds());
        assertEquals(Set.of(root.id(), a.id(), b.id()), new HashSet<>(initial));
        ParentSampler sampler = new ParentSampler(SCORER, false);
        ChildBuilder builder = new ChildBuilder(
                PolicyFixtures.settings(defaults, SearchSpace.none(), false, false));
        SplittableRandom rng = new SplittableRandom(8);
        List<Long> picked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // threaded as Generation.sample does: sample, then build from the sampled population
            ParentSampler.Pick pick = sampler.sample(live, "C", rng);
            TaskPath parent = pick.parent();
            ChildBuilder.Built built = builder.build(pick.population(), parent, "C", 10,
                    PolicyFixtures.dataKeys(defaults), rng, 0, 0);
            live = built.population();
            picked.add(parent.id());
            assertEquals(1, live.path(parent.id()).metrics().offspringsFor("C"));
            assertEquals(0, live.path(parent.id()).metrics().offsprings()); // another task's child
            assertEquals(0, parent.metrics().offspringsFor("C")); // the value sampled is untouched
        }
        assertEquals(initial, picked);
        assertEquals(initial, live.seeds());
    }

    @Test
    void ownPathsAreTriedBestFirstBeforeSeeds() {
        PopulationBuilder pop = new PopulationBuilder();
        TaskPath seed = bare(pop, "X", 0.99, Map.of());
        TaskPath low = bare(pop, "T", 0.5, Map.of());
        TaskPath high = bare(pop, "T", 0.9, Map.of());
        pop.setSeeds(List.of(seed.id()));
        ParentSampler sampler = new ParentSampler(SCORER, false);
        ParentSampler.Pick pick = sampler.sample(pop.get(), "T", new SplittableRandom(1));
        assertSame(high, pick.parent());
        assertEquals(List.of(seed.id()), pick.population().seeds()); // no rotation when an own path is accepted
        assertEquals(List.of(seed.id()), pop.get().seeds());
        pop.set(pop.get().withUpdatedPath(
                high.withMetrics(PolicyFixtures.withOffspringsPerTask(high.metrics(), Map.of("T", 60)))));
        // high (almost) never accepted
        assertSame(low, sampler.sample(pop.get(), "T", new SplittableRandom(1)).parent());
    }

    @Test
    void equalScoresKeepInsertionOrder() {
        PopulationBuilder pop = new PopulationBuilder();
        TaskPath first = bare(pop, "T", 0.9, Map.of());
        bare(pop, "T", 0.9, Map.of());
        ParentSampler sampler = new ParentSampler(SCORER, false);
        assertSame(first, sampler.sample(pop.get(), "T", new SplittableRandom(3)).parent()); // stable sort
    }

    // ---- 3. uniform fallback ----

    @Test
    void nobodyAcceptedGivesAUniformPickAmongOwnAndSeeds() {
        PopulationBuilder pop = new PopulationBuilder();
        TaskPath s1 = bare(pop, "X", 0.5, Map.of("T", 60));
        TaskPath s2 = bare(pop, "Y", 0.5, Map.of("T", 60));
        TaskPath s3 = bare(pop, Component.NOT_TRAINABLE, null, Map.of("T", 60));
        TaskPath t1 = bare(pop, "T", 0.5, Map.of("T", 60));
        TaskPath t2 = bare(pop, "T", 0.9, Map.of("T", 60));
        List<Long> seeds = List.of(s2.id(), s3.id(), s1.id());
        // candidates in the order tried: own by score (t2, t1), then seeds in list order
        List<TaskPath> order = List.of(t2, t1, s2, s3, s1);
        ParentSampler sampler = new ParentSampler(SCORER, false);
        Set<Long> picked = new HashSet<>();
        pop.setSeeds(seeds);
        Population seeded = pop.get();
        for (long seed = 0; seed < 200; seed++) {
            SplittableRandom twin = new SplittableRandom(seed);
            TaskPath expected = null;
            for (TaskPath c : order) {
                if (twin.nextDouble() < Math.pow(0.5, 60)) { // only an exact 0.0 draw
                    expected = c;
                    break;
                }
            }
            if (expected == null) {
                expected = order.get(twin.nextInt(5));
            }
            ParentSampler.Pick pick = sampler.sample(seeded, "T", new SplittableRandom(seed));
            TaskPath got = pick.parent();
            assertSame(expected, got, "seed " + seed);
            assertEquals(seeds, pick.population().seeds()); // the fallback does not rotate
            assertEquals(seeds, seeded.seeds());
            picked.add(got.id());
        }
        assertEquals(5, picked.size()); // every candidate can be drawn
    }

    @Test
    void noCandidateAtAllFails() {
        ParentSampler sampler = new ParentSampler(SCORER, false);
        assertThrows(IllegalStateException.class, () -> sampler.sample(Population.empty(0, 0), "T",
                new SplittableRandom(1)));
    }

    // ---- 11. baseline ----

    @Test
    void baselineAlwaysTakesTheUniqueRoot() {
        PopulationBuilder pop = new PopulationBuilder();
        TaskPath root = bare(pop, Component.NOT_TRAINABLE, null, Map.of("T", 60));
        bare(pop, "T", 0.9, Map.of());
        bare(pop, "X", 0.9, Map.of());
        Population started = pop.get().startTask("T", new SplittableRandom(2));
        List<Long> seeds = List.copyOf(started.seeds());
        ParentSampler sampler = new ParentSampler(SCORER, true);
        SplittableRandom rng = new SplittableRandom(5);
        Population live = started;
        for (int i = 0; i < 5; i++) {
            ParentSampler.Pick pick = sampler.sample(live, "T", rng);
            assertSame(root, pick.parent());
            live = pick.population();
        }
        assertEquals(new SplittableRandom(5).nextLong(), rng.nextLong()); // no draw at all
        assertEquals(seeds, live.seeds());
        assertEquals(seeds, started.seeds());
    }

    @Test
    void baselineNeedsExactlyOneRoot() {
        ParentSampler sampler = new ParentSampler(SCORER, true);
        PopulationBuilder none = new PopulationBuilder();
        bare(none, "X", 0.9, Map.of());
        assertThrows(IllegalStateException.class, () -> sampler.sample(none.get(), "T", new SplittableRandom(1)));
        PopulationBuilder two = new PopulationBuilder();
        bare(two, Component.NOT_TRAINABLE, null, Map.of());
        bare(two, Component.NOT_TRAINABLE, null, Map.of());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> sampler.sample(two.get(), "T", new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("2"), e.getMessage());
    }
}
