package org.munet.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.munet.data.TaskData;
import org.munet.evolution.CandidateResult;
import org.munet.evolution.CandidateRunner;
import org.munet.evolution.CandidateSpec;
import org.munet.evolution.GenerationInfo;
import org.munet.evolution.ProgressListener;
import org.munet.evolution.TestResult;
import org.munet.evolution.TestSpec;
import org.munet.spark.ui.GenerationStartedEvent;
import org.munet.spark.ui.MunetEventPoster;
import org.munet.store.HadoopConf;
import org.munet.worker.CandidateCost;
import org.munet.worker.CandidatePlan;
import org.munet.worker.CandidateWorker;

/**
 * Trains a generation as one Spark job, one candidate per Spark task, a drop-in for the local
 * runner. Specs and results cross the wire (Kryo, {@link MunetKryoRegistrator}); tensors never do:
 * executors read components from the state store and stage trained ones there, and the driver
 * promotes what it keeps when it commits.
 *
 * <p>Scheduling: the job's tasks hold the candidates in the order that has the task slots finish a
 * generation together ({@link CandidateCost#startOrder}), one candidate per partition; the job's
 * {@link GenerationStartedEvent#TASK_ORDER_PROPERTY} says which candidate each task trains, and
 * results come back in the specs' order. Before the first generation {@link #warmUp} waits for the
 * executors and has each start its engine and read the task's data, so a generation's wall time is
 * the generation's, not the application's start-up (printed on its own line). Neither changes any
 * result: a candidate's result is a function of its plan alone, wherever and whenever it trains.
 *
 * <p>In the Spark UI a task iteration is a job group and a generation a job whose description names
 * task, iteration and generation; named accumulators count examples, candidates trained and kept.
 */
public final class SparkCandidateRunner implements CandidateRunner {

    /**
     * Training steps each executor rehearses in the warm-up: about 2 s of the default tiny ViT on a
     * core, for libtorch's and MKL's first-use work and the JIT's first compiles of the step.
     */
    static final int REHEARSAL_STEPS = 60;

    /**
     * Without a known executor count ({@code spark.executor.instances}, or {@code spark.cores.max}
     * with {@code spark.executor.cores}), the warm-up takes the executors as all there once none has
     * joined for this long: executors a cluster grants at once register within a fraction of a second
     * of each other. One that comes later warms up in its first task, as it would without a warm-up.
     */
    static final long SETTLE_MILLIS = 1000;

    private final JavaSparkContext jsc;
    private final LongAccumulator examples;
    private final LongAccumulator trained;
    private final LongAccumulator kept;
    private final boolean ownsContext;
    /** Travels inside each job's functions (Spark broadcasts those once per stage). */
    private final SerializableConfiguration hadoop;
    private boolean warmedUp;

    /** With this JVM's Hadoop configuration ({@link HadoopConf#forThisJvm()}). */
    public SparkCandidateRunner(JavaSparkContext jsc, boolean ownsContext) {
        this(jsc, HadoopConf.forThisJvm(), ownsContext);
    }

    /**
     * @param hadoop the run's Hadoop configuration: executors open the state store with it, so the
     *     file system settings the driver uses are the ones every executor uses
     * @param ownsContext stop the Spark context when this runner is closed
     */
    public SparkCandidateRunner(JavaSparkContext jsc, Configuration hadoop, boolean ownsContext) {
        this.jsc = jsc;
        this.hadoop = new SerializableConfiguration(hadoop);
        this.ownsContext = ownsContext;
        this.examples = jsc.sc().longAccumulator("munet.training examples");
        this.trained = jsc.sc().longAccumulator("munet.candidates trained");
        this.kept = jsc.sc().longAccumulator("munet.candidates kept");
    }

    @Override
    public List<CandidateResult> train(GenerationInfo generation, List<CandidateSpec> specs) {
        jsc.setJobGroup("munet " + generation.task() + " iteration " + generation.iteration(),
                "task " + generation.task() + " · iteration " + generation.iteration(), false);
        jsc.setJobDescription(generation.describe(specs.size()));
        // Names the generation the µ2Net tab's GenerationStartedEvent announced.
        jsc.setLocalProperty(GenerationStartedEvent.JOB_PROPERTY, generation.runId());
        List<CandidatePlan> plans = CandidatePlan.of(specs);
        // Spark starts a job's tasks in partition order as slots free up (these have no preferred
        // locations): task i trains candidate order[i], the order that has the slots finish together.
        int[] order = CandidateCost.startOrder(plans, taskSlots());
        jsc.setLocalProperty(GenerationStartedEvent.TASK_ORDER_PROPERTY,
                Arrays.stream(order).mapToObj(String::valueOf).collect(Collectors.joining(",")));
        try {
            List<CandidatePlan> inTaskOrder = new ArrayList<>();
            for (int i : order) {
                inTaskOrder.add(plans.get(i));
            }
            // One partition per candidate: each Spark task trains exactly one; collect keeps task order.
            List<CandidateResult> byTask = jsc.parallelize(inTaskOrder, Math.max(1, inTaskOrder.size()))
                    .map(new TrainCandidate(generation.stateUri(), hadoop, generation.runId(), examples, trained,
                            kept))
                    .collect();
            CandidateResult[] out = new CandidateResult[specs.size()];
            for (int i = 0; i < order.length; i++) {
                out[order[i]] = byTask.get(i);
            }
            return Arrays.asList(out);
        } finally {
            jsc.setJobDescription(null);
            jsc.setLocalProperty(GenerationStartedEvent.JOB_PROPERTY, null);
            jsc.setLocalProperty(GenerationStartedEvent.TASK_ORDER_PROPERTY, null);
        }
    }

    /**
     * Once, before the first generation: waits for the executors the application was granted, then
     * runs one small job with a task per slot in which each executor starts its engine (libtorch),
     * reads the first generation's task data into its cache and rehearses training (a few steps of a
     * throwaway path, {@link CandidateWorker#rehearse}): the work each executor's first candidate
     * would otherwise do inside the generation, on cores that other candidates train on. Prints
     * what it did. A failure here is only reported: the generation then meets (and reports) the
     * same problem itself.
     */
    @Override
    public void warmUp(GenerationInfo generation, List<CandidateSpec> specs) {
        if (warmedUp || specs.isEmpty()) {
            return;
        }
        warmedUp = true;
        long start = System.nanoTime();
        // local[N]: the tasks run in this JVM, no executors to wait for (local-cluster has some).
        String master = jsc.master();
        boolean local = master.equals("local") || master.startsWith("local[");
        int executors = local ? 1 : awaitExecutors(jsc);
        double waited = seconds(start);
        int slots = Math.max(local ? 1 : executors, taskSlots());
        CandidatePlan first = CandidatePlan.of(specs.get(0));
        String task = first.spec().task();
        int steps = Math.min(REHEARSAL_STEPS, first.budget().totalSteps());
        jsc.setJobDescription("warm-up · " + slots + " task slots: engine, " + task + " data, " + steps
                + " rehearsal steps");
        try {
            // The plan travels as data (the run's serializer), one copy per slot, as candidates do.
            List<String> done = jsc.parallelize(Collections.nCopies(slots, first), slots)
                    .map(new WarmUp(steps, hadoop))
                    .collect();
            System.out.printf(Locale.ROOT, "[spark] warm-up: %d executor%s after %.1fs; engine, %s data and %d"
                    + " rehearsal steps on each in %.1fs; ready %.1fs after the first generation asked%n", executors,
                    executors == 1 ? "" : "s", waited, task, steps, maxSeconds(done), seconds(start));
        } catch (Exception e) {
            System.out.println("[spark] warm-up failed, executors warm up in their first candidate instead: " + e);
        } finally {
            jsc.setJobDescription(null);
            System.out.flush();
        }
    }

    /**
     * Tasks that run at once: the scheduler's default parallelism (the executors' cores, unless
     * {@code spark.default.parallelism} says otherwise) over {@code spark.task.cpus}; at least one.
     */
    private int taskSlots() {
        int taskCpus = Math.max(1, jsc.getConf().getInt("spark.task.cpus", 1));
        return Math.max(1, jsc.defaultParallelism() / taskCpus);
    }

    /**
     * Waits (at most {@code spark.scheduler.maxRegisteredResourcesWaitingTime}) until the expected
     * executors have registered, or, when their number is unknown, until at least one has and none
     * has joined for {@link #SETTLE_MILLIS}. Returns how many there are.
     */
    static int awaitExecutors(JavaSparkContext jsc) {
        SparkConf conf = jsc.getConf();
        long limit = conf.getTimeAsMs("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s");
        int expected = expectedExecutors(conf);
        long start = System.currentTimeMillis();
        long changed = start;
        int seen = -1;
        while (true) {
            // The status tracker lists the driver too.
            int n = Math.max(0, jsc.sc().statusTracker().getExecutorInfos().length - 1);
            long now = System.currentTimeMillis();
            if (n != seen) {
                seen = n;
                changed = now;
            }
            boolean ready = expected > 0 ? n >= expected : n > 0 && now - changed >= SETTLE_MILLIS;
            if (ready || now - start >= limit) {
                return n;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return n;
            }
        }
    }

    /** Executors the configuration promises, or 0 when it does not say (standalone's default, dynamic allocation). */
    static int expectedExecutors(SparkConf conf) {
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            return 0;
        }
        int instances = conf.getInt("spark.executor.instances", 0);
        if (instances > 0) {
            return instances;
        }
        int maxCores = conf.getInt("spark.cores.max", 0);
        int executorCores = conf.getInt("spark.executor.cores", 0);
        return maxCores > 0 && executorCores > 0 ? maxCores / executorCores : 0;
    }

    private static double maxSeconds(List<String> done) {
        double max = 0;
        for (String d : done) {
            max = Math.max(max, Double.parseDouble(d.substring(d.indexOf(' ') + 1)));
        }
        return max;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Tells the µ2Net tab (and the event log) what the engine does: pass it to the engine next to
     * the command's own progress listener.
     */
    public ProgressListener uiEvents() {
        return new MunetEventPoster(jsc.sc());
    }

    @Override
    public List<TestResult> test(String stateUri, List<TestSpec> specs) {
        if (specs.isEmpty()) {
            return List.of();
        }
        jsc.setJobDescription("test evaluation · " + specs.size() + " paths");
        try {
            return jsc.parallelize(specs, specs.size()).map(new TestPath(stateUri, hadoop)).collect();
        } finally {
            jsc.setJobDescription(null);
        }
    }

    @Override
    public void close() {
        if (ownsContext) {
            jsc.stop();
        }
    }

    /** The executor side of a training task. */
    static final class TrainCandidate implements Function<CandidatePlan, CandidateResult> {
        private static final long serialVersionUID = 1L;
        private final String stateUri;
        private final SerializableConfiguration hadoop;
        private final String runId;
        private final LongAccumulator examples;
        private final LongAccumulator trained;
        private final LongAccumulator kept;

        TrainCandidate(String stateUri, SerializableConfiguration hadoop, String runId, LongAccumulator examples,
                LongAccumulator trained, LongAccumulator kept) {
            this.stateUri = stateUri;
            this.hadoop = hadoop;
            this.runId = runId;
            this.examples = examples;
            this.trained = trained;
            this.kept = kept;
        }

        @Override
        public CandidateResult call(CandidatePlan plan) {
            TaskResources resources = TaskResources.current(plan.spec().threads());
            CandidateResult r = WorkerHolder.get().train(stateUri, hadoop.value(), runId, plan,
                    resources.device(), resources.threads());
            trained.add(1);
            examples.add((long) plan.spec().batchSize() * plan.budget().totalSteps());
            if (r.improved()) {
                kept.add(1);
            }
            return r;
        }
    }

    /**
     * The executor side of the warm-up: reads the task's data into the JVM's cache, as a
     * candidate's first use would ({@link CandidateWorker#taskData}), and rehearses training on it,
     * which starts the engine (libtorch).
     * Returns "executorId seconds".
     */
    static final class WarmUp implements Function<CandidatePlan, String> {
        private static final long serialVersionUID = 1L;
        private final int steps;
        private final SerializableConfiguration hadoop;

        WarmUp(int steps, SerializableConfiguration hadoop) {
            this.steps = steps;
            this.hadoop = hadoop;
        }

        @Override
        public String call(CandidatePlan plan) {
            long start = System.nanoTime();
            WorkerHolder.get();
            // The rehearsal starts the engine (libtorch) on the CPU, where the engine needs starting:
            // a GPU executor's device is the one its candidates' tasks get assigned (TaskResources).
            CandidateSpec spec = plan.spec();
            TaskData data = CandidateWorker.taskData(spec.task(), spec.source(), spec.caches(), hadoop.value());
            CandidateWorker.rehearse(plan, data, steps);
            SparkEnv env = SparkEnv.get();
            return (env == null ? "driver" : env.executorId()) + " " + seconds(start);
        }
    }

    /** The executor side of a test pass. */
    static final class TestPath implements Function<TestSpec, TestResult> {
        private static final long serialVersionUID = 1L;
        private final String stateUri;
        private final SerializableConfiguration hadoop;

        TestPath(String stateUri, SerializableConfiguration hadoop) {
            this.stateUri = stateUri;
            this.hadoop = hadoop;
        }

        @Override
        public TestResult call(TestSpec spec) {
            return WorkerHolder.get().test(stateUri, hadoop.value(), spec, TaskResources.current(1).device());
        }
    }
}
