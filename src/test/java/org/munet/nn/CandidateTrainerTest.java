package org.munet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.munet.data.Batch;

class CandidateTrainerTest {

    private static final VitConfig CONFIG = VitConfig.tiny();
    private static final OptimizerHparams OPT = new OptimizerHparams(0.05, LrSchedule.COSINE, 0.1, 0.9, false);

    @Test
    void frozenComponentsGetNoUpdateWhileTrainableOnesChange() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = FreshPath.model(manager, new ComponentFactory(CONFIG, 4, 16), 0);
            for (ComponentBlock c : model.components()) {
                boolean headPart = c.componentName().equals("head") || c.componentName().equals("encoder_norm")
                        || c.componentName().equals("encoderblock_2");
                c.setTrainable(headPart);
            }
            Map<String, HostComponent> before = snapshot(model);
            TrainingResult r = TestTraining.train(manager, model, 40, 11);
            assertEquals(40, r.steps());
            for (ComponentBlock c : model.components()) {
                boolean same = before.get(c.componentName()).bitwiseEquals(c.toHost());
                if (c.isTrainable()) {
                    assertFalse(same, c.componentName() + " should have trained");
                } else {
                    assertTrue(same, c.componentName() + " is frozen and must be bitwise unchanged");
                    assertTrue(c.toHost().momentum().isEmpty(), "no momentum for frozen " + c);
                }
            }
        }
    }

    @Test
    void sharedFrozenComponentsStayBitwiseEqualUnderConcurrentTraining() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ComponentFactory factory = new ComponentFactory(CONFIG, 4, 16);
            List<ComponentBlock> shared = FreshPath.components(manager, factory,
                    List.of("embedding", "cls", "posembed_input", "encoderblock_0"), 0);
            shared.forEach(c -> c.setTrainable(false));
            Map<String, HostComponent> before = new LinkedHashMap<>();
            shared.forEach(c -> before.put(c.componentName(), c.toHost()));

            PathModel a = withOwnTop(manager, factory, shared);
            PathModel b = withOwnTop(manager, factory, shared);
            CountDownLatch start = new CountDownLatch(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<TrainingResult> ra = pool.submit(() -> {
                    start.countDown();
                    start.await();
                    return trainOn(manager, a, 21, 100);
                });
                Future<TrainingResult> rb = pool.submit(() -> {
                    start.countDown();
                    start.await();
                    return trainOn(manager, b, 22, 100);
                });
                assertEquals(100, ra.get().steps());
                assertEquals(100, rb.get().steps());
            } finally {
                pool.shutdown();
            }
            for (ComponentBlock c : shared) {
                assertTrue(before.get(c.componentName()).bitwiseEquals(c.toHost()),
                        c.componentName() + " changed while shared and frozen");
            }
            HostComponent untrainedHead = FreshPath.components(manager, factory, List.of("head"), 0)
                    .get(0).toHost();
            assertFalse(a.component("head").toHost().bitwiseEquals(untrainedHead), "a trained");
            assertFalse(b.component("head").toHost().bitwiseEquals(untrainedHead), "b trained");
            assertFalse(a.component("head").toHost().bitwiseEquals(b.component("head").toHost()),
                    "a and b saw different data");
            // Isolation: a's result does not depend on b training beside it.
            PathModel alone = withOwnTop(manager, factory, shared);
            trainOn(manager, alone, 21, 100);
            assertTrue(alone.component("head").toHost().bitwiseEquals(a.component("head").toHost()),
                    "concurrent and solo training of the same candidate must agree bitwise");
        }
    }

    /**
     * Regression: a Java number passed to an op under gradient recording ({@code q.mul(0.25)}) is
     * kept by autograd in memory that the JVM frees at its next garbage collection, so a GC between
     * forward and backward (here forced from another thread, in Spark from the driver's own
     * threads) changed the gradients. Training must be a function of its inputs only.
     */
    @Test
    void garbageCollectionOnOtherThreadsDoesNotChangeTraining() throws Exception {
        Map<String, HostComponent> quiet;
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = FreshPath.model(manager, new ComponentFactory(CONFIG, 4, 16), 3);
            TestTraining.train(manager, model, 30, 5);
            quiet = snapshot(model);
        }
        AtomicBoolean training = new AtomicBoolean(true);
        AtomicInteger collections = new AtomicInteger();
        Thread collector = new Thread(() -> {
            while (training.get()) {
                System.gc();
                collections.incrementAndGet();
            }
        });
        Map<String, HostComponent> busy;
        collector.start();
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = FreshPath.model(manager, new ComponentFactory(CONFIG, 4, 16), 3);
            TestTraining.train(manager, model, 30, 5);
            busy = snapshot(model);
        } finally {
            training.set(false);
            collector.join();
        }
        assertTrue(collections.get() > 10, "the collector ran " + collections.get() + " times");
        for (String name : quiet.keySet()) {
            assertTrue(quiet.get(name).bitwiseEquals(busy.get(name)),
                    name + " trained differently while another thread collected garbage");
        }
    }

    @Test
    void keepsTheLastValidationThatReachedTheBestScore() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = FreshPath.model(manager, new ComponentFactory(CONFIG, 4, 16), 0);
            List<HostComponent> headAtValidation = new ArrayList<>();
            // Scores 0.9, 0.5, 0.9, 0.1: validation 2 ties validation 0 and, being later, wins.
            double[] scores = {0.9, 0.5, 0.9, 0.1};
            AtomicInteger call = new AtomicInteger();
            TrainingResult r = new CandidateTrainer(manager, 1).train(model, OPT,
                    new TrainingBudget(4, 5), TestTraining.cycle(TestTraining.batches(1, 4, 16)),
                    TestTraining.batches(2, 1, 16), 4, 0.2, q -> scores[call.getAndIncrement()],
                    (i, step, acc, score, kept) -> headAtValidation.add(model.component("head").toHost()));
            assertTrue(r.improved());
            assertEquals(2, r.bestValidation());
            assertEquals(4, r.evals().size());
            assertEquals(r.evals().stream().mapToDouble(d -> d).max().getAsDouble(), r.quality());
            HostComponent kept = model.component("head").toHost();
            assertTrue(kept.bitwiseEquals(headAtValidation.get(2)), "restored to validation 2");
            assertFalse(kept.bitwiseEquals(headAtValidation.get(3)));
        }
    }

    @Test
    void notMatchingTheParentScoreMeansNotImproved() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = FreshPath.model(manager, new ComponentFactory(CONFIG, 4, 16), 0);
            TrainingResult r = new CandidateTrainer(manager, 1).train(model, OPT,
                    new TrainingBudget(2, 3), TestTraining.cycle(TestTraining.batches(1, 2, 16)),
                    TestTraining.batches(2, 1, 16), 4, 1.5, q -> q, null);
            assertFalse(r.improved());
            assertEquals(-1, r.bestValidation());
        }
    }

    @Test
    void divergenceIsAClearError() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PathModel model = FreshPath.model(manager, new ComponentFactory(CONFIG, 4, 16), 0);
            OptimizerHparams absurd = new OptimizerHparams(1e38, LrSchedule.CONSTANT, 0.0, 0.9, false);
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> new CandidateTrainer(manager, 1).train(model, absurd, new TrainingBudget(1, 50),
                            TestTraining.cycle(TestTraining.batches(1, 2, 16)),
                            TestTraining.batches(2, 1, 16), 4, Double.NEGATIVE_INFINITY, q -> q, null));
            assertTrue(e.getMessage().contains("lower opt_lr"), e.getMessage());
        }
    }

    private static PathModel withOwnTop(NDManager manager, ComponentFactory factory, List<ComponentBlock> shared) {
        List<ComponentBlock> comps = new ArrayList<>(shared);
        comps.addAll(FreshPath.components(manager, factory, List.of("encoderblock_1", "encoder_norm", "head"), 0));
        return new PathModel(comps);
    }

    private static TrainingResult trainOn(NDManager manager, PathModel model, long seed, int steps) {
        List<Batch> validation = TestTraining.batches(seed + 100, 2, 32);
        return new CandidateTrainer(manager, 1).train(model, OPT, new TrainingBudget(2, steps / 2),
                TestTraining.cycle(TestTraining.batches(seed, 8, 32)), validation, 4,
                Double.NEGATIVE_INFINITY, q -> q, null);
    }

    private static Map<String, HostComponent> snapshot(PathModel model) {
        Map<String, HostComponent> out = new LinkedHashMap<>();
        model.components().forEach(c -> out.put(c.componentName(), c.toHost()));
        return out;
    }
}
