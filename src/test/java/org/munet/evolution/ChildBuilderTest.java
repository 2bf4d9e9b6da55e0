package org.munet.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.munet.evolution.ComponentPlan.Action;
import org.munet.system.Component;
import org.munet.system.Hyperparams;
import org.munet.system.Population;
import org.munet.system.TaskPath;
import org.munet.testing.PopulationBuilder;

/**
 * Building a child (spec §2.4, §3): mu first, per-component reuse, clone or create. Expected random
 * outcomes are derived from a twin {@code SplittableRandom(seed)} read in the order the spec draws:
 * per search key (sorted) one mutate draw, plus one neighbour draw when the key moves; per adapter
 * layer one draw when adapters mutate; per inherited component that is not force-finetuned one
 * cloning draw.
 */
class ChildBuilderTest {

    private static final List<String> TINY = List.of("embedding", "cls", "posembed_input", "encoderblock_0",
            "encoderblock_1", "encoderblock_2", "encoder_norm", "head");

    private static ChildBuilder builder(Hyperparams defaults, SearchSpace space, boolean adapters,
            boolean baseline) {
        return new ChildBuilder(PolicyFixtures.settings(defaults, space, adapters, baseline));
    }

    private static Map<String, ComponentPlan> byName(Child child) {
        Map<String, ComponentPlan> out = new LinkedHashMap<>();
        child.plans().forEach(p -> out.put(p.name(), p));
        return out;
    }

    private static void skip(SplittableRandom twin, int draws) {
        for (int i = 0; i < draws; i++) {
            twin.nextDouble();
        }
    }

    // ---- 5. mu is mutated first and drives the rest of the clone ----

    @Test
    void muFirstAndTheNewMuDrivesEveryLaterDecision() {
        // Space, given unsorted; visited sorted: '_mu_' < 'ds_area_range_min' < 'opt_lr'.
        Map<String, List<Object>> ranges = new LinkedHashMap<>();
        ranges.put("opt_lr", List.of(0.005, 0.01, 0.02));
        ranges.put("ds_area_range_min", List.of(0.05, 0.1));
        ranges.put("_mu_", List.of(0.0, 1.0));
        SearchSpace space = new SearchSpace(ranges);
        assertEquals(List.of("_mu_", "ds_area_range_min", "opt_lr"), List.copyOf(space.ranges().keySet()));

        Hyperparams defaults = PolicyFixtures.hparams(1.0);
        ChildBuilder builder = builder(defaults, space, false, false);
        boolean sawMuZero = false;
        boolean sawMuOne = false;
        Set<Double> lrs = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            PopulationBuilder b = new PopulationBuilder();
            TaskPath root = PolicyFixtures.addRoot(b, defaults, 3);
            Population pop = b.get();
            long firstNewId = pop.nextComponentId();
            SplittableRandom rng = new SplittableRandom(seed);
            Child child = builder.build(pop, root, "T", 10, PolicyFixtures.dataKeys(defaults), rng, 0, 0).child();

            SplittableRandom twin = new SplittableRandom(seed);
            twin.nextDouble();                       // _mu_: doMutate(1.0), any draw < 1.0: moves
            double uMu = twin.nextDouble();          // 1.0 is index 1: up clamps to 1.0, down gives 0.0
            double mu = uMu < 0.5 ? 1.0 : 0.0;
            twin.nextDouble();                       // ds_area_range_min: drawn, a data key never moves here
            twin.nextDouble();                       // opt_lr: doMutate(mu) -> true iff mu == 1.0
            double lr = 0.01;
            if (mu == 1.0) {
                lr = twin.nextDouble() < 0.5 ? 0.02 : 0.005; // 0.01 is in the middle: always moves
            }
            skip(twin, 6);                           // cloning draws: embedding, cls, posembed, 3 blocks

            Hyperparams h = child.path().hparams();
            assertEquals(mu, h.getDouble("_mu_"), "seed " + seed);
            assertEquals(lr, h.getDouble("opt_lr"), "seed " + seed);
            assertEquals(0.05, h.getDouble("ds_area_range_min"));
            assertEquals(twin.nextLong(), rng.nextLong(), "draw count, seed " + seed);
            assertEquals(TINY, child.plans().stream().map(ComponentPlan::name).toList());

            Map<String, ComponentPlan> plans = byName(child);
            for (String name : List.of("embedding", "cls", "posembed_input", "encoderblock_0", "encoderblock_1",
                    "encoderblock_2")) {
                ComponentPlan p = plans.get(name);
                long rootId = PolicyFixtures.named(pop, root, name).id();
                assertEquals(rootId, p.sourceId());
                if (mu == 0.0) {
                    assertEquals(Action.REUSE, p.action(), name); // no layer cloning at mu 0
                    assertEquals(rootId, p.id());
                } else {
                    assertEquals(Action.CLONE, p.action(), name); // layer cloning always at mu 1
                    assertNotEquals(rootId, p.id());
                }
            }
            assertEquals(Action.CLONE, plans.get("encoder_norm").action()); // forced at any mu
            assertEquals(Action.NEW, plans.get("head").action());           // the root's head is never reused
            assertEquals(-1, plans.get("head").sourceId());
            if (mu == 0.0) {
                sawMuZero = true;
                assertEquals(Map.of("_mu_", List.of(1.0, 0.0)), child.path().metrics().mutations());
                // new ids in slot order: encoder_norm, head
                assertEquals(firstNewId, plans.get("encoder_norm").id());
                assertEquals(firstNewId + 1, plans.get("head").id());
                assertEquals(128 + 650, child.trainableParams());
            } else {
                sawMuOne = true;
                assertEquals(Map.of("opt_lr", List.of(0.01, lr)), child.path().metrics().mutations());
                // everything is new: 3200+64+1088+3*33472+128+650 = 105546
                assertEquals(105546, child.trainableParams());
                lrs.add(lr);
            }
            assertEquals(105546, child.totalParams());
            assertEquals(child.trainableParams(), child.path().metrics().numTrainableParams());
            assertEquals(child.trainableParams() / 105546.0, child.path().metrics().trainableParamsRatio(), 1e-15);
            // T alone is charged: the root's frozen components ({NOT_TRAINABLE}) in full, plus the new ones
            assertEquals(105546.0, child.path().metrics().trainingAccountedParams());
            assertEquals(1, child.path().metrics().generation());
            assertEquals(root.id(), child.path().parentId());
            assertEquals("T", child.path().task());
        }
        assertTrue(sawMuZero && sawMuOne, "both mu branches exercised");
        assertEquals(Set.of(0.005, 0.02), lrs);
    }

    @Test
    void adapterInsertionUsesTheNewMu() {
        // Parent mu 1.0; _mu_ [0.0, 1.0]; adapters mutate. With mu 0.0 no adapter is added;
        // with mu 1.0 an adapter is added before every layer: "0_1_2", each NEW (no ancestor has one).
        Hyperparams defaults = PolicyFixtures.hparams(1.0);
        ChildBuilder builder = builder(defaults, new SearchSpace(Map.of("_mu_", List.of(0.0, 1.0))), true, false);
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 30; seed++) {
            PopulationBuilder b = new PopulationBuilder();
            TaskPath root = PolicyFixtures.addRoot(b, defaults, 3);
            Child child = builder.build(b.get(), root, "T", 10, PolicyFixtures.dataKeys(defaults),
                    new SplittableRandom(seed), 0, 0).child();
            SplittableRandom twin = new SplittableRandom(seed);
            twin.nextDouble();
            double mu = twin.nextDouble() < 0.5 ? 1.0 : 0.0;
            String expected = mu == 1.0 ? "0_1_2" : "";
            assertEquals(expected, child.path().hparams().getString("adapter_layers"), "seed " + seed);
            for (ComponentPlan p : child.plans()) {
                if (p.name().startsWith("residual_adapter_")) {
                    assertEquals(Action.NEW, p.action());
                }
            }
            seen.add(expected);
        }
        assertEquals(2, seen.size());
    }

    // ---- 11. baseline doMutate ----

    @Test
    void baselineDoMutateIsDeterministic() {
        ChildBuilder b = builder(PolicyFixtures.hparams(0.0), SearchSpace.none(), false, true);
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 10; i++) {
            assertFalse(b.doMutate(0.0, rng));
            assertTrue(b.doMutate(1.0, rng));
        }
        assertEquals(new SplittableRandom(3).nextLong(), rng.nextLong()); // no draws
        assertThrows(IllegalStateException.class, () -> b.doMutate(0.5, rng));
        assertThrows(IllegalStateException.class, () -> b.doMutate(0.1, rng));
    }

    @Test
    void evolutionDoMutateIsABernoulliDraw() {
        ChildBuilder b = builder(PolicyFixtures.hparams(0.3), SearchSpace.none(), false, false);
        SplittableRandom rng = new SplittableRandom(17);
        SplittableRandom twin = new SplittableRandom(17);
        for (int i = 0; i < 50; i++) {
            assertEquals(twin.nextDouble() < 0.3, b.doMutate(0.3, rng));
        }
    }

    @Test
    void baselineFreezeAndFinetuneAll() {
        for (double mu : new double[] {0.0, 1.0}) {
            Hyperparams defaults = PolicyFixtures.hparams(mu);
            Population pop = PolicyFixtures.rootOnly(defaults, 3);
            TaskPath root = pop.roots().get(0);
            SplittableRandom rng = new SplittableRandom(1);
            Child child = builder(defaults, SearchSpace.none(), false, true)
                    .build(pop, root, "T", 10, PolicyFixtures.dataKeys(defaults), rng, 0, 0).child();
            Map<String, ComponentPlan> plans = byName(child);
            for (String name : TINY.subList(0, 6)) {
                assertEquals(mu == 0.0 ? Action.REUSE : Action.CLONE, plans.get(name).action(), name + " mu " + mu);
            }
            assertEquals(Action.CLONE, plans.get("encoder_norm").action());
            assertEquals(Action.NEW, plans.get("head").action());
            assertEquals(new SplittableRandom(1).nextLong(), rng.nextLong());
        }
        Hyperparams half = PolicyFixtures.hparams(0.5);
        Population pop = PolicyFixtures.rootOnly(half, 3);
        TaskPath root = pop.roots().get(0);
        assertThrows(IllegalStateException.class, () -> builder(half, SearchSpace.none(), false, true)
                .build(pop, root, "T", 10, PolicyFixtures.dataKeys(half), new SplittableRandom(1), 0, 0));
    }

    // ---- 16. heads, forced encoder_norm, trainable components, shape mismatches ----

    @Test
    void childOfAnotherTasksPathGetsANewHeadAndSharesFrozenComponents() {
        Hyperparams defaults = PolicyFixtures.hparams(0.0);
        PopulationBuilder b = new PopulationBuilder();
        TaskPath root = PolicyFixtures.addRoot(b, defaults, 3);
        TaskPath a = PolicyFixtures.addKeptPath(b, "A", root, defaults, 0.8,
                Set.of("encoderblock_2", "encoder_norm", "head"));
        Population pop = b.get();
        long firstNewId = pop.nextComponentId();
        ChildBuilder.Built built = builder(defaults, SearchSpace.none(), false, false)
                .build(pop, a, "B", 5, PolicyFixtures.dataKeys(defaults), new SplittableRandom(1), 2, 3);
        Child child = built.child();
        Population after = built.population();
        Map<String, ComponentPlan> plans = byName(child);
        for (String name : List.of("embedding", "cls", "posembed_input", "encoderblock_0", "encoderblock_1")) {
            assertEquals(Action.REUSE, plans.get(name).action(), name);
            assertEquals(PolicyFixtures.named(pop, root, name).id(), plans.get(name).id());
        }
        // A's own block is locked {A}: frozen for B, shared by reference at mu 0
        assertEquals(Action.REUSE, plans.get("encoderblock_2").action());
        assertEquals(PolicyFixtures.named(pop, a, "encoderblock_2").id(), plans.get("encoderblock_2").id());
        // encoder_norm: always cloned, from the nearest ancestor holding one (A's)
        assertEquals(Action.CLONE, plans.get("encoder_norm").action());
        assertEquals(PolicyFixtures.named(pop, a, "encoder_norm").id(), plans.get("encoder_norm").sourceId());
        assertEquals(firstNewId, plans.get("encoder_norm").id());
        // head: A's is locked, the root's is locked -> a new one with B's 5 classes
        assertEquals(Action.NEW, plans.get("head").action());
        assertEquals(firstNewId + 1, plans.get("head").id());
        assertEquals("[5,64]", child.slots().get(7).shape());
        // new params: encoder_norm 128 + head 5*64+5 = 325 -> 453 of 3200+64+1088+3*33472+128+325 = 105221
        assertEquals(453, child.trainableParams());
        assertEquals(105221, child.totalParams());
        assertEquals(Map.of("num_classes", List.of(10, 5)), child.path().metrics().mutations());
        assertEquals(a.metrics().generation() + 1, child.path().metrics().generation());
        assertEquals(2, child.path().metrics().visitIndex());
        assertEquals(3, child.path().metrics().generationIndex());
        // B is charged half of each reused component (locked {NT, A} or {A}) and all of the new ones:
        // (3200+64+1088+3*33472) / 2 + 453 = 52837
        assertEquals(52837.0, child.path().metrics().trainingAccountedParams());
        assertEquals(Map.of("B", 1), after.path(a.id()).metrics().offspringsPerTask());
        assertEquals(0, after.path(a.id()).metrics().offsprings());
        assertEquals(Map.of(), a.metrics().offspringsPerTask()); // the input's parent is untouched
        assertEquals(a, pop.path(a.id()));
        assertFalse(pop.hasPath(child.path().id())); // not added before training
        assertFalse(after.hasPath(child.path().id()));

        // Same class count as A (head shapes equal): A's head is still locked, so still a new head.
        ChildBuilder.Built same = builder(defaults, SearchSpace.none(), false, false)
                .build(after, after.path(a.id()), "B", 10, PolicyFixtures.dataKeys(defaults),
                        new SplittableRandom(1), 2, 3);
        assertEquals(Action.NEW, byName(same.child()).get("head").action());
        assertEquals(Map.of("B", 2), same.population().path(a.id()).metrics().offspringsPerTask());
        assertEquals(Map.of("B", 1), after.path(a.id()).metrics().offspringsPerTask());
    }

    @Test
    void buildReturnsTheNextPopulationAndLeavesItsInputUntouched() {
        Hyperparams defaults = PolicyFixtures.hparams(0.0);
        PopulationBuilder b = new PopulationBuilder();
        TaskPath root = PolicyFixtures.addRoot(b, defaults, 3);
        TaskPath a = PolicyFixtures.addKeptPath(b, "A", root, defaults, 0.8, Set.of("encoder_norm", "head"));
        b.setSeeds(List.of(root.id(), a.id()));
        Population pop = b.get();
        long nextPath = pop.nextPathId();
        long nextComponent = pop.nextComponentId();
        List<TaskPath> pathsBefore = pop.paths();
        List<Component> componentsBefore = pop.components();

        ChildBuilder.Built built = builder(defaults, SearchSpace.none(), false, false)
                .build(pop, a, "B", 10, PolicyFixtures.dataKeys(defaults), new SplittableRandom(1), 0, 0);
        Child child = built.child();
        Population after = built.population();

        // the input: as it was
        assertEquals(nextPath, pop.nextPathId());
        assertEquals(nextComponent, pop.nextComponentId());
        assertEquals(pathsBefore, pop.paths());
        assertEquals(componentsBefore, pop.components());
        assertEquals(Map.of(), pop.path(a.id()).metrics().offspringsPerTask());
        assertEquals(List.of(root.id(), a.id()), pop.seeds());

        // the result: a new value with the child's ids handed out and A's counter for B raised
        assertNotSame(pop, after);
        assertEquals(nextPath, child.path().id());
        assertEquals(nextPath + 1, after.nextPathId());
        // mu 0: encoder_norm cloned (forced) and a new head, in slot order
        assertEquals(nextComponent, byName(child).get("encoder_norm").id());
        assertEquals(nextComponent + 1, byName(child).get("head").id());
        assertEquals(nextComponent + 2, after.nextComponentId());
        assertEquals(Map.of("B", 1), after.path(a.id()).metrics().offspringsPerTask());
        assertEquals(0, after.path(a.id()).metrics().offsprings());
        assertEquals(a.withMetrics(a.metrics().withOffspring("B", false)), after.path(a.id()));
        // nothing else changes: the child is not in it, nor its new components, and the seeds stay
        assertFalse(after.hasPath(child.path().id()));
        assertEquals(componentsBefore, after.components());
        assertEquals(pop.path(root.id()), after.path(root.id()));
        assertEquals(List.of(root.id(), a.id()), after.seeds());

        // a second child from the same input hands out the same ids again: build is a function of its input
        Child again = builder(defaults, SearchSpace.none(), false, false)
                .build(pop, a, "B", 10, PolicyFixtures.dataKeys(defaults), new SplittableRandom(1), 0, 0).child();
        assertEquals(child, again);
        // and one from the returned population gets fresh ids and raises the counter once more
        ChildBuilder.Built next = builder(defaults, SearchSpace.none(), false, false)
                .build(after, after.path(a.id()), "B", 10, PolicyFixtures.dataKeys(defaults),
                        new SplittableRandom(1), 0, 0);
        assertEquals(nextPath + 1, next.child().path().id());
        assertEquals(nextComponent + 2, byName(next.child()).get("encoder_norm").id());
        assertEquals(Map.of("B", 2), next.population().path(a.id()).metrics().offspringsPerTask());
    }

    @Test
    void frozenComponentsAreClonedWithProbabilityMu() {
        // mu 0.5, no search keys, no adapters: one draw per inherited frozen component that is not
        // force-finetuned (embedding, cls, posembed, 3 blocks), in slot order; draw < 0.5 clones.
        Hyperparams defaults = PolicyFixtures.hparams(0.5);
        ChildBuilder builder = builder(defaults, SearchSpace.none(), false, false);
        List<String> frozen = TINY.subList(0, 6);
        int clones = 0;
        for (long seed = 0; seed < 20; seed++) {
            PopulationBuilder b = new PopulationBuilder();
            TaskPath root = PolicyFixtures.addRoot(b, defaults, 3);
            Child child = builder.build(b.get(), root, "T", 10, PolicyFixtures.dataKeys(defaults),
                    new SplittableRandom(seed), 0, 0).child();
            SplittableRandom twin = new SplittableRandom(seed);
            Map<String, ComponentPlan> plans = byName(child);
            for (String name : frozen) {
                Action expected = twin.nextDouble() < 0.5 ? Action.CLONE : Action.REUSE;
                assertEquals(expected, plans.get(name).action(), name + " seed " + seed);
                clones += expected == Action.CLONE ? 1 : 0;
            }
        }
        assertTrue(clones > 0 && clones < 120, "both outcomes exercised: " + clones);
    }

    @Test
    void trainableComponentsAreAlwaysClonedNeverShared() {
        Hyperparams defaults = PolicyFixtures.hparams(0.0);
        PopulationBuilder b = new PopulationBuilder();
        TaskPath root = PolicyFixtures.addRoot(b, defaults, 3);
        TaskPath a = PolicyFixtures.addKeptPath(b, "A", root, defaults, 0.8,
                Set.of("encoderblock_2", "encoder_norm", "head"));
        Population pop = b.get().startTask("A", new SplittableRandom(1)); // A's own components become trainable
        assertTrue(PolicyFixtures.named(pop, a, "head").isTrainable());
        assertFalse(PolicyFixtures.named(b.get(), a, "head").isTrainable()); // not in the population it started from
        ChildBuilder.Built built = builder(defaults, SearchSpace.none(), false, false)
                .build(pop, a, "A", 10, PolicyFixtures.dataKeys(defaults), new SplittableRandom(1), 0, 0);
        Child child = built.child();
        Map<String, ComponentPlan> plans = byName(child);
        for (String name : List.of("encoderblock_2", "encoder_norm", "head")) {
            long own = PolicyFixtures.named(pop, a, name).id();
            assertEquals(Action.CLONE, plans.get(name).action(), name);
            assertEquals(own, plans.get(name).sourceId(), name);
            assertNotEquals(own, plans.get(name).id(), name);
        }
        for (String name : List.of("embedding", "cls", "posembed_input", "encoderblock_0", "encoderblock_1")) {
            assertEquals(Action.REUSE, plans.get(name).action(), name); // the root's stay frozen at mu 0
        }
        TaskPath counted = built.population().path(a.id());
        assertEquals(1, counted.metrics().offsprings());
        assertEquals(Map.of("A", 1), counted.metrics().offspringsPerTask());
        assertEquals(0, pop.path(a.id()).metrics().offsprings()); // the input is untouched
        assertEquals(Map.of(), pop.path(a.id()).metrics().offspringsPerTask());
        assertTrue(child.path().metrics().mutations().isEmpty());
    }

    @Test
    void adapterWidthMismatchSkipsToAnOlderAncestorOrCreatesNew() {
        // root(3 layers, no adapters) <- a1 (A, adapter_1 width 16) <- b1 (B, adapter_1 width 32).
        // Child for C of b1, mu 1.0, adapter_dim list [16, 32, 64]: 32 moves up to 64 or down to 16.
        //   16: b1's adapter mismatches, a1's matches -> CLONE of a1's;  64: nobody matches -> NEW.
        Hyperparams defaults = PolicyFixtures.hparams(1.0);
        Hyperparams ha = defaults.with("adapter_layers", "1").with("adapter_dim", 16);
        Hyperparams hb = ha.with("adapter_dim", 32);
        ChildBuilder builder = builder(defaults,
                new SearchSpace(Map.of("adapter_dim", List.of(16, 32, 64))), false, false);
        Set<Integer> seen = new HashSet<>();
        for (long seed = 0; seed < 30; seed++) {
            PopulationBuilder b = new PopulationBuilder();
            TaskPath root = PolicyFixtures.addRoot(b, defaults, 3);
            TaskPath a1 = PolicyFixtures.addKeptPath(b, "A", root, ha, 0.8, Set.of("encoder_norm", "head"));
            TaskPath b1 = PolicyFixtures.addKeptPath(b, "B", a1, hb, 0.7, Set.of("encoder_norm", "head"));
            Population pop = b.get();
            assertEquals("adapter[64,32]", PolicyFixtures.named(pop, b1, "residual_adapter_1").shape());
            Child child = builder.build(pop, b1, "C", 10, PolicyFixtures.dataKeys(defaults),
                    new SplittableRandom(seed), 0, 0).child();
            SplittableRandom twin = new SplittableRandom(seed);
            twin.nextDouble();                                     // adapter_dim: doMutate(1.0) true
            int dim = twin.nextDouble() < 0.5 ? 64 : 16;
            assertEquals(dim, child.path().hparams().getInt("adapter_dim"), "seed " + seed);
            ComponentPlan adapter = byName(child).get("residual_adapter_1");
            if (dim == 16) {
                assertEquals(Action.CLONE, adapter.action());
                assertEquals(PolicyFixtures.named(pop, a1, "residual_adapter_1").id(), adapter.sourceId());
            } else {
                assertEquals(Action.NEW, adapter.action());
                assertEquals(-1, adapter.sourceId());
            }
            assertEquals("adapter[64," + dim + "]", child.slots().get(4).shape());
            seen.add(dim);
        }
        assertEquals(Set.of(16, 64), seen);
    }

    @Test
    void layerInsertionReusesTheRootsExtraBlockAndRemovalDropsTheTop() {
        // The root holds 4 blocks while the default depth is 3 (spec §1.5). num_layers [2, 3, 4], mu 1.0.
        Hyperparams defaults = PolicyFixtures.hparams(1.0);
        ChildBuilder builder = builder(defaults, new SearchSpace(Map.of("num_layers", List.of(2, 3, 4))),
                false, false);
        Set<Integer> seen = new HashSet<>();
        for (long seed = 0; seed < 30; seed++) {
            Population pop = PolicyFixtures.rootOnly(defaults, 4);
            TaskPath root = pop.roots().get(0);
            Child child = builder.build(pop, root, "T", 10, PolicyFixtures.dataKeys(defaults),
                    new SplittableRandom(seed), 0, 0).child();
            SplittableRandom twin = new SplittableRandom(seed);
            twin.nextDouble();
            int layers = twin.nextDouble() < 0.5 ? 4 : 2;
            assertEquals(layers, child.path().hparams().getInt("num_layers"));
            Map<String, ComponentPlan> plans = byName(child);
            if (layers == 4) {
                assertEquals(PolicyFixtures.named(pop, root, "encoderblock_3").id(),
                        plans.get("encoderblock_3").sourceId());
            } else {
                assertFalse(plans.containsKey("encoderblock_2"));
                assertTrue(plans.containsKey("encoderblock_1"));
            }
            seen.add(layers);
        }
        assertEquals(Set.of(2, 4), seen);
    }

    @Test
    void generationImageSizeOverridesTheParentAndMakesANewPosembed() {
        Hyperparams defaults = PolicyFixtures.hparams(0.0);
        Population pop = PolicyFixtures.rootOnly(defaults, 3);
        TaskPath root = pop.roots().get(0);
        Map<String, Object> ds = PolicyFixtures.dataKeys(defaults);
        ds.put("ds_image_size", 14);
        Child child = builder(defaults, SearchSpace.none(), false, false)
                .build(pop, root, "T", 10, ds, new SplittableRandom(1), 0, 0).child();
        assertEquals(14, child.path().hparams().getInt("ds_image_size"));
        ComponentPlan pos = byName(child).get("posembed_input");
        assertEquals(Action.NEW, pos.action()); // root's is [1,17,64], the child needs [1,5,64]
        assertEquals("[1,5,64]", child.slots().get(2).shape());
        assertEquals(Action.REUSE, byName(child).get("embedding").action());
    }
}
