package org.munet.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.munet.data.Batch;

/**
 * Trains one candidate path as µ2Net does (spec §2.5-2.6): softmax cross-entropy, SGD with
 * momentum on the trainable components only, V validations on a fixed subset, and retention of the
 * best-scoring snapshot (score >= best so far; later validations win ties).
 *
 * <p>Several trainers may run at once on different threads of one JVM: gradients are recorded per
 * thread ({@link GradMode}), each thread sets its own intra-op thread count, and every step and
 * validation is scoped ({@link NDScope}) so that native memory stays flat.
 */
public final class CandidateTrainer {

    /** Told after each validation; for progress output. */
    public interface Listener {
        void onValidation(int index, int step, double accuracy, double score, boolean snapshot);
    }

    private final NDManager manager;
    private final int intraOpThreads;
    private final PrefixCache prefixes;
    private final boolean keepTrainingPrefix;

    /**
     * @param manager parent of the per-step managers (activations never outlive a step)
     * @param intraOpThreads libtorch intra-op threads for the training thread; 1 gave the best
     *     aggregate throughput with one candidate per core (platform-notes)
     */
    public CandidateTrainer(NDManager manager, int intraOpThreads) {
        this(manager, intraOpThreads, null);
    }

    /**
     * @param prefixes where frozen prefixes' activations are shared (training batches and the
     *     validation subset alike), or null to compute them every time
     */
    public CandidateTrainer(NDManager manager, int intraOpThreads, PrefixCache prefixes) {
        this(manager, intraOpThreads, prefixes, true);
    }

    /**
     * @param prefixes where frozen prefixes' activations are shared, or null to compute them every time
     * @param keepTrainingPrefix whether to keep the frozen prefix's activations of the training
     *     batches for another candidate that reads the same batches; the validation subset's are
     *     always kept, since this candidate itself reads them again at every validation
     */
    public CandidateTrainer(NDManager manager, int intraOpThreads, PrefixCache prefixes, boolean keepTrainingPrefix) {
        this.manager = manager;
        this.intraOpThreads = intraOpThreads;
        this.prefixes = prefixes;
        this.keepTrainingPrefix = keepTrainingPrefix;
    }

    /**
     * Trains {@code model} in place.
     *
     * @param train infinite stream of training batches
     * @param validation the fixed validation subset (the same batches at every validation)
     * @param numClasses classes of the task (the head's width)
     * @param initialBestScore the parent's score for a same-task parent, else negative infinity
     * @param scorer validation quality to score (identity when parameters are not penalised)
     */
    public TrainingResult train(
            PathModel model,
            OptimizerHparams opt,
            TrainingBudget budget,
            Iterator<Batch> train,
            List<Batch> validation,
            int numClasses,
            double initialBestScore,
            DoubleUnaryOperator scorer,
            Listener listener) {
        GradMode.setIntraOpThreads(intraOpThreads);
        List<ComponentBlock> trainable = model.trainableComponents();
        SgdMomentum optimizer = new SgdMomentum(opt.momentum(), opt.nesterov());
        FrozenPrefix prefix = new FrozenPrefix(model, prefixes, keepTrainingPrefix);
        Evaluator evaluator = new Evaluator(manager, prefixes);
        List<Double> evals = new ArrayList<>();
        double bestScore = initialBestScore;
        int bestValidation = -1;
        long samples = 0;
        long trainNanos = 0;
        long evalNanos = 0;
        int step = 0;
        try (NDManager snapshotManager = manager.newSubManager()) {
            Map<ComponentBlock, HostlessSnapshot> snapshot = new HashMap<>();
            for (int v = 0; v < budget.validations(); v++) {
                long start = System.nanoTime();
                for (int s = 0; s < budget.stepsPerValidation(); s++, step++) {
                    Batch batch = train.next();
                    double lr = opt.schedule().at(step, opt.lr(), opt.warmupRatio(),
                            budget.validations(), budget.stepsPerValidation());
                    trainStep(model, prefix, trainable, optimizer, batch, numClasses, lr, step);
                    samples += batch.size();
                }
                long afterTrain = System.nanoTime();
                trainNanos += afterTrain - start;
                double accuracy = evaluator.meanBatchAccuracy(model, validation);
                double score = scorer.applyAsDouble(accuracy);
                boolean take = score >= bestScore;
                if (take) {
                    bestScore = score;
                    bestValidation = v;
                    takeSnapshot(trainable, snapshot, snapshotManager);
                }
                evals.add(accuracy);
                evalNanos += System.nanoTime() - afterTrain;
                if (listener != null) {
                    listener.onValidation(v, step, accuracy, score, take);
                }
            }
            if (bestValidation >= 0 && bestValidation < budget.validations() - 1) {
                for (Map.Entry<ComponentBlock, HostlessSnapshot> e : snapshot.entrySet()) {
                    e.getValue().restoreInto(e.getKey());
                }
            }
        }
        double quality = evals.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return new TrainingResult(evals, quality, bestValidation >= 0, bestValidation, step, samples,
                trainNanos / 1e9, evalNanos / 1e9);
    }

    private void trainStep(PathModel model, FrozenPrefix prefix, List<ComponentBlock> trainable,
            SgdMomentum optimizer, Batch batch, int numClasses, double lr, int step) {
        try (NDScope scope = new NDScope(); NDManager stepManager = manager.newSubManager()) {
            // Unrecorded, and shared where the prefix cache can promise the same values.
            NDArray activations = prefix.activations(stepManager, batch);
            NDArray targets = BatchArrays.oneHot(stepManager, batch, numClasses);
            NDArray loss;
            try (GradMode on = GradMode.enabled()) {
                NDArray logits = model.forwardFrom(prefix.length(), activations);
                // mean softmax cross-entropy on one-hot labels, no label smoothing (spec §2.5)
                loss = logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
                GradMode.backward(loss);
            }
            float lossValue = loss.getFloat();
            if (!Float.isFinite(lossValue)) {
                throw new NonFiniteLossException("training loss became " + lossValue + " at step "
                        + step + " (learning rate " + lr + "); lower opt_lr or check the input data");
            }
            double norm;
            // Updates must not be recorded; grad mode is per thread and on by default in new ones.
            try (GradMode off = GradMode.disabled()) {
                norm = optimizer.step(trainable, lr);
            }
            if (!Double.isFinite(norm)) {
                throw new NonFiniteLossException("gradient norm became " + norm + " at step " + step
                        + " (learning rate " + lr + "); lower opt_lr or check the input data");
            }
        }
    }

    private static void takeSnapshot(List<ComponentBlock> trainable,
            Map<ComponentBlock, HostlessSnapshot> snapshot, NDManager snapshotManager) {
        for (ComponentBlock c : trainable) {
            HostlessSnapshot old = snapshot.put(c, HostlessSnapshot.of(c, snapshotManager));
            if (old != null) {
                old.close();
            }
        }
    }
}
