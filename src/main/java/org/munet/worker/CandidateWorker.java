package org.munet.worker;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.munet.data.DataHparams;
import org.munet.data.Datasets;
import org.munet.data.TaskData;
import org.munet.data.TestPass;
import org.munet.data.TrainStream;
import org.munet.data.ValidationSubset;
import org.munet.evolution.CandidateResult;
import org.munet.evolution.CandidateSpec;
import org.munet.evolution.ComponentPlan;
import org.munet.evolution.PhaseTrace;
import org.munet.evolution.TestResult;
import org.munet.evolution.TestSpec;
import org.munet.evolution.WorkerCaches;
import org.munet.nn.CandidateTrainer;
import org.munet.nn.ComponentBlock;
import org.munet.nn.ComponentCodec;
import org.munet.nn.ComponentFactory;
import org.munet.nn.Evaluator;
import org.munet.nn.FreshPath;
import org.munet.nn.NonFiniteLossException;
import org.munet.nn.OptimizerHparams;
import org.munet.nn.PathModel;
import org.munet.nn.PrefixCache;
import org.munet.nn.TrainingBudget;
import org.munet.nn.TrainingResult;
import org.munet.store.StateStore;
import org.munet.system.Hyperparams;
import org.munet.system.TaskNames;
import org.munet.system.TaskSource;

/**
 * What a worker (a local thread or a Spark executor) does with a candidate plan: obtain its
 * components, train it on its task, and, if it improved, stage its trainable components in the
 * state store. One instance per JVM; thread-safe, so several candidates may train at once.
 */
public final class CandidateWorker {

    private static final int TEST_BATCH = 500;

    /**
     * Native memory, the frozen-component cache and the frozen-prefix activation cache of one
     * device (CPU, or one GPU).
     */
    private record DeviceContext(NDManager manager, ComponentSource components, PrefixCache prefixes) {}

    private final Map<Device, DeviceContext> devices = new ConcurrentHashMap<>();
    private final Map<String, StateStore> stores = new ConcurrentHashMap<>();

    /** Trains on the CPU with the spec's thread count (the local runner). */
    public CandidateResult train(String stateUri, Configuration hadoop, String runId, CandidatePlan candidate) {
        return train(stateUri, hadoop, runId, candidate, Device.cpu(), candidate.spec().threads());
    }

    /**
     * Trains on {@code device} with {@code threads} intra-op threads (a Spark task passes what the
     * cluster assigned it). The result is a function of the plan alone, so a retried task
     * reproduces it, and its staged files are simply written again.
     *
     * @param hadoop the run's Hadoop configuration (on an executor, the one its job shipped)
     */
    public CandidateResult train(String stateUri, Configuration hadoop, String runId, CandidatePlan candidate,
            Device device, int threads) {
        warnIfNotReproducible();
        long start = System.nanoTime();
        CandidateSpec spec = candidate.spec();
        DeviceContext dc = context(device, spec.caches());
        NDManager manager = dc.manager();
        TaskData data = taskData(spec.task(), spec.source(), spec.caches(), hadoop);
        StateStore store = store(stateUri, hadoop);
        List<ComponentBlock> blocks = obtain(dc, store, spec.components(), candidate.componentFactory(),
                spec.initSeed());
        List<ComponentBlock> owned = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (spec.components().get(i).trainable()) {
                owned.add(blocks.get(i));
            }
        }
        try {
            PathModel model = new PathModel(blocks);
            DataHparams ds = candidate.data();
            int channels = spec.dims().channels();
            TrainStream train = TrainStream.of(data, spec.batchSize(), ds, channels, spec.dataSeed());
            ValidationSubset validation = new ValidationSubset(data.validation(), spec.maxValidationExamples(),
                    spec.batchSize(), DataHparams.none(ds.imageSize()), channels);
            OptimizerHparams opt = candidate.optimizer();
            TrainingResult r;
            try {
                // A training stream's activations are kept only for another candidate of the generation.
                r = new CandidateTrainer(manager, threads, dc.prefixes(), candidate.prefixShared()).train(model, opt,
                        candidate.budget(), train, validation.batches(), data.numClasses(), spec.keep().scoreToBeat(),
                        spec.keep()::score, null);
            } catch (NonFiniteLossException e) {
                return CandidateResult.failed(spec.pathId(), e.getMessage(), seconds(start));
            }
            Map<Long, String> staged = new LinkedHashMap<>();
            if (r.improved()) {
                for (int i = 0; i < blocks.size(); i++) {
                    ComponentPlan plan = spec.components().get(i);
                    if (plan.trainable()) {
                        byte[] bytes = ComponentCodec.encode(blocks.get(i).toHost());
                        PhaseTrace.mark("staging");
                        staged.put(plan.id(), store.putStagedComponent(runId, plan.id(), bytes));
                    }
                }
            }
            return new CandidateResult(spec.pathId(), r.evals(), r.quality(), r.improved(), staged,
                    r.trainSeconds() + r.evalSeconds(), seconds(start), null);
        } finally {
            owned.forEach(ComponentBlock::close);
            dc.components().release(blocks);
        }
    }

    public TestResult test(String stateUri, Configuration hadoop, TestSpec spec) {
        return test(stateUri, hadoop, spec, Device.cpu());
    }

    public TestResult test(String stateUri, Configuration hadoop, TestSpec spec, Device device) {
        long start = System.nanoTime();
        DeviceContext dc = context(device, spec.caches());
        Hyperparams h = Hyperparams.of(spec.hparams());
        TaskData data = taskData(spec.task(), spec.source(), spec.caches(), hadoop);
        ComponentFactory factory = ComponentFactory.of(spec.dims(), h);
        List<ComponentBlock> blocks = obtain(dc, store(stateUri, hadoop), spec.components(), factory, 0);
        try {
            return test(spec, dc, data, factory, new PathModel(blocks), start);
        } finally {
            dc.components().release(blocks);
        }
    }

    private TestResult test(TestSpec spec, DeviceContext dc, TaskData data, ComponentFactory factory, PathModel model,
            long start) {
        Evaluator evaluator = new Evaluator(dc.manager(), dc.prefixes());
        MessageDigest digest = sha256();
        long correct = 0;
        long total = 0;
        for (var batch : new TestPass(data.test(), TEST_BATCH, DataHparams.none(factory.config().imageSize()),
                spec.dims().channels())) {
            int[] predicted = evaluator.predictions(model, batch);
            for (int i = 0; i < predicted.length; i++) {
                digest.update((byte) predicted[i]);
                if (predicted[i] == batch.labels()[i]) {
                    correct++;
                }
            }
            total += predicted.length;
        }
        return new TestResult(spec.pathId(), correct / (double) total, total,
                HexFormat.of().formatHex(digest.digest()), seconds(start));
    }

    private static volatile boolean warned;

    /** Without strict MKL reproducibility, runs on other processes drift in the last bits. */
    private static void warnIfNotReproducible() {
        if (!warned && System.getenv("MKL_CBWR") == null) {
            warned = true;
            System.err.println("munet: MKL_CBWR is not set: candidates may train to slightly different bits in"
                    + " different processes; set MKL_CBWR=AUTO (deploy/munet and deploy/submit.sh do)");
        }
    }

    /** The blocks of a path, in order: shared frozen ones from the cache, the rest fresh. */
    private List<ComponentBlock> obtain(DeviceContext dc, StateStore store, List<ComponentPlan> plans,
            ComponentFactory factory, long initSeed) {
        List<ComponentBlock> blocks = new ArrayList<>();
        try {
            for (ComponentPlan plan : plans) {
                blocks.add(dc.components().obtain(store, plan, factory, initSeed));
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < blocks.size(); i++) {
                if (plans.get(i).trainable()) {
                    blocks.get(i).close();
                }
            }
            dc.components().release(blocks);
            throw e;
        }
        return blocks;
    }

    /**
     * The task's data, read by this JVM itself from the source's URI through the run's Hadoop
     * configuration, decoded once and kept in the JVM's bounded cache ({@link Datasets}).
     */
    public static TaskData taskData(String task, TaskSource source, WorkerCaches caches, Configuration hadoop) {
        Datasets.limitCache(caches.taskDataBytes());
        return Datasets.load(TaskNames.datasetName(task), source, hadoop);
    }

    /**
     * Trains a throwaway path, fresh and random with {@code plan}'s shapes, for {@code steps} steps
     * on {@code data} with {@code plan}'s data and optimizer settings, and drops it: a new JVM's
     * first-use work (libtorch's and MKL's set-up, the JIT's first compiles of the step) is then done
     * before the first candidate instead of during it, where on a machine with no spare core it
     * slows the candidates training beside it. Touches no cache and no state.
     */
    public static void rehearse(CandidatePlan plan, TaskData data, int steps) {
        CandidateSpec spec = plan.spec();
        int channels = spec.dims().channels();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            PathModel model = FreshPath.model(manager, plan.componentFactory(), 0);
            TrainStream train = TrainStream.of(data, spec.batchSize(), plan.data(), channels, 0);
            ValidationSubset validation = new ValidationSubset(data.validation(), spec.batchSize(),
                    spec.batchSize(), DataHparams.none(plan.data().imageSize()), channels);
            new CandidateTrainer(manager, 1, null).train(model, plan.optimizer(), new TrainingBudget(1, steps),
                    train, validation.batches(), data.numClasses(), Double.NEGATIVE_INFINITY, q -> q, null);
        }
    }

    /** The device's context, its caches bounded as the run's config says. */
    private DeviceContext context(Device device, WorkerCaches caches) {
        DeviceContext dc = devices.computeIfAbsent(device, d -> {
            NDManager m = NDManager.newBaseManager(d);
            return new DeviceContext(m, new ComponentSource(m, caches.componentBytes()),
                    new PrefixCache(m, caches.prefixBytes()));
        });
        dc.components().limit(caches.componentBytes());
        dc.prefixes().limit(caches.prefixBytes());
        return dc;
    }

    /** The run's configuration opens a state once per JVM: a state belongs to one run at a time (its lock). */
    private StateStore store(String uri, Configuration hadoop) {
        return stores.computeIfAbsent(uri, u -> StateStore.open(u, hadoop));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
