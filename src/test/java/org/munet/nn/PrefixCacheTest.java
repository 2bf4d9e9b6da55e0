package org.munet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.munet.data.Batch;
import org.munet.data.BatchKey;

/**
 * Reuse of frozen prefixes' activations: a candidate trained with reuse ends bitwise equal to one
 * trained without, alone or beside another on a second thread, within any memory bound.
 */
class PrefixCacheTest {

    private static final VitConfig CONFIG = VitConfig.tiny();
    private static final OptimizerHparams OPT = new OptimizerHparams(0.05, LrSchedule.COSINE, 0.1, 0.9, false);
    private static final int STEPS = 24;

    @Test
    void candidateTrainedWithReuseEndsBitwiseEqualToOneTrainedWithout() {
        try (NDManager manager = NDManager.newBaseManager();
                PrefixCache cache = new PrefixCache(manager, 64L << 20)) {
            ComponentFactory factory = new ComponentFactory(CONFIG, 4, 16);
            List<ComponentBlock> shared = sharedPrefix(manager, factory);
            PathModel without = withOwnTop(manager, factory, shared);
            PathModel first = withOwnTop(manager, factory, shared);
            PathModel second = withOwnTop(manager, factory, shared);

            TrainingResult plain = train(manager, without, null);
            TrainingResult filling = train(manager, first, cache);
            long missesAfterFirst = cache.stats().misses();
            TrainingResult reusing = train(manager, second, cache);

            // 8 training and 2 validation batches, each computed once; everything else reused.
            assertEquals(10, missesAfterFirst);
            assertEquals(10, cache.stats().misses());
            // The first candidate cycles its 8 batches thrice and validates twice; the second reuses all.
            assertEquals((STEPS - 8) + (4 - 2) + STEPS + 4, cache.stats().hits());
            assertEquals(plain.evals(), filling.evals());
            assertEquals(plain.evals(), reusing.evals());
            assertTopsBitwiseEqual(without, first);
            assertTopsBitwiseEqual(without, second);
        }
    }

    @Test
    void aCandidateThatKeepsNoTrainingPrefixStillTakesWhatOthersKeptAndTrainsAsAlone() {
        long batch = 32 * 17 * 64 * 4;
        try (NDManager manager = NDManager.newBaseManager();
                PrefixCache cache = new PrefixCache(manager, 64L << 20)) {
            ComponentFactory factory = new ComponentFactory(CONFIG, 4, 16);
            List<ComponentBlock> shared = sharedPrefix(manager, factory);
            PathModel without = withOwnTop(manager, factory, shared);
            PathModel lone = withOwnTop(manager, factory, shared);
            PathModel keeping = withOwnTop(manager, factory, shared);
            PathModel taking = withOwnTop(manager, factory, shared);

            train(manager, without, null);
            train(manager, lone, cache, false);
            // Every training step computed its prefix and kept nothing; the validation subset,
            // which the candidate reads again at its second validation, was kept.
            assertEquals(new PrefixCache.Stats(2, STEPS + 2, 2 * batch, 1), cache.stats());
            train(manager, keeping, cache, true);
            assertEquals(STEPS + 2 + 8, cache.stats().misses());
            assertEquals(10 * batch, cache.stats().heldBytes());
            train(manager, taking, cache, false);
            assertEquals(STEPS + 2 + 8, cache.stats().misses(), "what another kept is taken");
            assertTopsBitwiseEqual(without, lone);
            assertTopsBitwiseEqual(without, keeping);
            assertTopsBitwiseEqual(without, taking);
        }
    }

    @Test
    void concurrentCandidatesComputeEachPrefixOnceAndTrainAsAlone() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                PrefixCache cache = new PrefixCache(manager, 64L << 20)) {
            ComponentFactory factory = new ComponentFactory(CONFIG, 4, 16);
            List<ComponentBlock> shared = sharedPrefix(manager, factory);
            PathModel alone = withOwnTop(manager, factory, shared);
            train(manager, alone, null);

            PathModel a = withOwnTop(manager, factory, shared);
            PathModel b = withOwnTop(manager, factory, shared);
            CountDownLatch start = new CountDownLatch(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<TrainingResult>> runs = new ArrayList<>();
                for (PathModel m : List.of(a, b)) {
                    runs.add(pool.submit(() -> {
                        start.countDown();
                        start.await();
                        return train(manager, m, cache);
                    }));
                }
                for (Future<TrainingResult> r : runs) {
                    assertEquals(STEPS, r.get().steps());
                }
            } finally {
                pool.shutdown();
            }
            // One thread waits for the other's computation instead of repeating it.
            assertEquals(10, cache.stats().misses());
            assertTopsBitwiseEqual(alone, a);
            assertTopsBitwiseEqual(alone, b);
        }
    }

    @Test
    void aBoundTooSmallForTheStreamKeepsItsFirstBatchesAndStaysExact() {
        // One activation of a batch of 32 is 32 x 17 x 64 floats: 139,264 bytes. Room for two.
        long bound = 2 * 139_264 + 1000;
        try (NDManager manager = NDManager.newBaseManager(); PrefixCache cache = new PrefixCache(manager, bound)) {
            ComponentFactory factory = new ComponentFactory(CONFIG, 4, 16);
            List<ComponentBlock> shared = sharedPrefix(manager, factory);
            PathModel without = withOwnTop(manager, factory, shared);
            PathModel with = withOwnTop(manager, factory, shared);
            train(manager, without, null);
            train(manager, with, cache);
            assertTrue(cache.stats().heldBytes() <= bound, "held " + cache.stats());
            assertEquals(2 * 139_264, cache.stats().heldBytes(), "the first two batches stay");
            assertTrue(cache.stats().hits() > 0);
            assertTopsBitwiseEqual(without, with);
        }
    }

    @Test
    void otherGroupsGoLeastRecentlyUsedFirst() {
        try (NDManager manager = NDManager.newBaseManager(); PrefixCache cache = new PrefixCache(manager, 3 * 400)) {
            Lookups get = new Lookups(manager, cache);
            get.at("old", 0);
            get.at("recent", 0);
            get.at("recent", 1);
            get.at("old", 0); // a hit: "old" is now the more recently used group
            assertEquals(3, get.computed);
            get.at("new", 0); // room is made from "recent", the least recently used other group
            assertEquals(2, cache.stats().groups());
            assertEquals(2 * 400, cache.stats().heldBytes());
            get.at("old", 0);
            assertEquals(4, get.computed, "old was kept");
            get.at("recent", 0);
            assertEquals(5, get.computed, "recent was dropped");
        }
    }

    @Test
    void theGroupBeingFilledKeepsItsFirstEntries() {
        try (NDManager manager = NDManager.newBaseManager(); PrefixCache cache = new PrefixCache(manager, 3 * 400)) {
            Lookups get = new Lookups(manager, cache);
            for (int i = 0; i < 4; i++) {
                get.at("stream", i);
            }
            assertEquals(3 * 400, cache.stats().heldBytes());
            get.at("stream", 0);
            assertEquals(4, get.computed, "a candidate reading the stream again starts with hits");
            get.at("stream", 3);
            assertEquals(5, get.computed, "the entry past the bound was not kept");
        }
    }

    /** Lookups of 100-float (400-byte) activations, each holding its index, counting computations. */
    private static final class Lookups {
        private final NDManager manager;
        private final PrefixCache cache;
        private final List<ComponentBlock> prefix;
        int computed;

        Lookups(NDManager manager, PrefixCache cache) {
            this.manager = manager;
            this.cache = cache;
            this.prefix = sharedPrefix(manager, new ComponentFactory(CONFIG, 4, 16));
        }

        void at(String source, int index) {
            try (NDManager step = manager.newSubManager()) {
                NDArray out = cache.activations(prefix, false, new BatchKey(source, index), true, step, () -> {
                    computed++;
                    return step.full(new Shape(100), (float) index);
                });
                assertEquals(index, out.getFloat(0), 0);
            }
        }
    }

    @Test
    void batchesWithoutAKeyAndPathsThatTrainFromTheFirstComponentAreNeverCached() {
        try (NDManager manager = NDManager.newBaseManager(); PrefixCache cache = new PrefixCache(manager, 64L << 20)) {
            ComponentFactory factory = new ComponentFactory(CONFIG, 4, 16);
            PathModel trainsAll = FreshPath.model(manager, factory, 0);
            assertEquals(0, trainsAll.frozenPrefixLength());
            Batch keyed = TestTraining.batches(5, 1, 8).get(0).withKey(new BatchKey("test", 0));
            try (NDManager step = manager.newSubManager()) {
                new FrozenPrefix(trainsAll, cache).logits(step, keyed);
            }
            PathModel frozenBottom = withOwnTop(manager, factory, sharedPrefix(manager, factory));
            assertEquals(4, frozenBottom.frozenPrefixLength());
            Batch unkeyed = TestTraining.batches(5, 1, 8).get(0);
            try (NDManager step = manager.newSubManager()) {
                new FrozenPrefix(frozenBottom, cache).logits(step, unkeyed);
                new FrozenPrefix(frozenBottom, cache).logits(step, unkeyed);
            }
            assertEquals(new PrefixCache.Stats(0, 0, 0, 0), cache.stats());
        }
    }

    @Test
    void aDisabledCacheComputesEveryTime() {
        try (NDManager manager = NDManager.newBaseManager(); PrefixCache cache = new PrefixCache(manager, 0)) {
            ComponentFactory factory = new ComponentFactory(CONFIG, 4, 16);
            PathModel path = withOwnTop(manager, factory, sharedPrefix(manager, factory));
            Batch keyed = TestTraining.batches(5, 1, 8).get(0).withKey(new BatchKey("test", 0));
            float[] once;
            float[] twice;
            try (NDManager step = manager.newSubManager()) {
                once = new FrozenPrefix(path, cache).logits(step, keyed).toFloatArray();
                twice = new FrozenPrefix(path, cache).logits(step, keyed).toFloatArray();
            }
            assertEquals(0, cache.stats().hits());
            assertEquals(2, cache.stats().misses());
            assertEquals(0, cache.stats().heldBytes());
            assertTrue(java.util.Arrays.equals(once, twice));
        }
    }

    @Test
    void aComponentThatTrainsEndsThePrefix() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ComponentFactory factory = new ComponentFactory(CONFIG, 4, 16);
            List<ComponentBlock> shared = sharedPrefix(manager, factory);
            PathModel path = withOwnTop(manager, factory, shared);
            shared.get(2).setTrainable(true);
            assertEquals(2, path.frozenPrefixLength());
        }
    }

    /** Embedding, class token, position embedding and the bottom block, frozen and shared. */
    private static List<ComponentBlock> sharedPrefix(NDManager manager, ComponentFactory factory) {
        List<ComponentBlock> shared = FreshPath.components(manager, factory,
                List.of("embedding", "cls", "posembed_input", "encoderblock_0"), 0);
        shared.forEach(c -> c.setTrainable(false));
        return shared;
    }

    private static PathModel withOwnTop(NDManager manager, ComponentFactory factory, List<ComponentBlock> shared) {
        List<ComponentBlock> comps = new ArrayList<>(shared);
        comps.addAll(FreshPath.components(manager, factory, List.of("encoderblock_1", "encoder_norm", "head"), 0));
        return new PathModel(comps);
    }

    /** Eight keyed training batches, cycled, and two keyed validation batches. */
    private static TrainingResult train(NDManager manager, PathModel model, PrefixCache cache) {
        return train(manager, model, cache, true);
    }

    private static TrainingResult train(NDManager manager, PathModel model, PrefixCache cache, boolean keep) {
        List<Batch> train = keyed(TestTraining.batches(31, 8, 32), "train");
        List<Batch> validation = keyed(TestTraining.batches(131, 2, 32), "validation");
        return new CandidateTrainer(manager, 1, cache, keep).train(model, OPT, new TrainingBudget(2, STEPS / 2),
                TestTraining.cycle(train), validation, 4, Double.NEGATIVE_INFINITY, q -> q, null);
    }

    private static List<Batch> keyed(List<Batch> batches, String source) {
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            out.add(batches.get(i).withKey(new BatchKey(source, i)));
        }
        return out;
    }

    private static void assertTopsBitwiseEqual(PathModel expected, PathModel actual) {
        for (String name : List.of("encoderblock_1", "encoder_norm", "head")) {
            assertTrue(expected.component(name).toHost().bitwiseEquals(actual.component(name).toHost()),
                    name + " differs with reuse");
        }
    }
}
