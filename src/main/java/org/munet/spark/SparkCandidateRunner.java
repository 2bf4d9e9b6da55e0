package org.munet.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
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

/**
 * Trains a generation as one Spark job, one candidate per Spark task, a drop-in for the local
 * runner. Specs and results cross the wire (Kryo, {@link MunetKryoRegistrator}); tensors never do:
 * executors read components from the state store and stage trained ones there, and the driver
 * promotes what it keeps when it commits.
 *
 * <p>Scheduling: the job's tasks hold the candidates longest-predicted-first ({@link CandidateCost}),
 * one candidate per partition, so the task slots finish a generation together; the job's
 * {@link GenerationStartedEvent#TASK_ORDER_PROPERTY} says which candidate each task trains, and
 * results come back in the specs' order. This changes no result: a candidate's result is a function
 * of its plan alone, wherever and whenever it trains.
 *
 * <p>In the Spark UI a task iteration is a job group and a generation a job whose description names
 * task, iteration and generation; named accumulators count examples, candidates trained and kept.
 */
public final class SparkCandidateRunner implements CandidateRunner {

    private final JavaSparkContext jsc;
    private final LongAccumulator examples;
    private final LongAccumulator trained;
    private final LongAccumulator kept;
    private final boolean ownsContext;
    /** Travels inside each job's functions (Spark broadcasts those once per stage). */
    private final SerializableConfiguration hadoop;

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
        // Spark starts a job's tasks in partition order (these have no preferred locations): task i
        // trains candidate order[i], the longest predicted first, so the slots finish together.
        int[] order = CandidateCost.longestFirst(plans);
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
