package org.munet.system;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reference's path metrics (spec §1.3) that the algorithm or the reports use. A value: each
 * step of the policy that changes a metric (a child is sampled, trained, becomes the best, is
 * tested) makes a new one. The manifest serialises the components in this order, under these names.
 *
 * @param quality best validation accuracy while training; null for the root
 * @param evals every validation accuracy, in order
 * @param testQuality test accuracy, set at the end of the task's iteration; never used for selection
 * @param testPredictionsSha256 SHA-256 of the test predictions (one byte per example), to prove immunity
 * @param offsprings children created for the path's own task
 * @param offspringsPerTask children created per task; persists across task iterations and resumes (spec §2.3)
 * @param generation depth: the parent's generation + 1
 * @param mutations hyperparameters that differ from the parent: key to [parent value, child value]
 * @param numTrainableParams parameters created or cloned for this path ("new parameters for this task")
 * @param trainSeconds wall seconds of training plus validation (the reference's train_time)
 * @param visitIndex the visit (task iteration) in which the path was created: {@link Progress#visitIndex()}
 * @param generationIndex the generation, within that visit, in which the path was created
 * @param failure why training failed (e.g. the loss diverged), or null
 */
public record PathMetrics(
        Double quality,
        List<Double> evals,
        Double testQuality,
        String testPredictionsSha256,
        int offsprings,
        Map<String, Integer> offspringsPerTask,
        int generation,
        boolean improved,
        boolean newBest,
        Map<String, List<Object>> mutations,
        long numTrainableParams,
        double trainableParamsRatio,
        double trainingAccountedParams,
        Double trainingScore,
        double trainSeconds,
        @JsonProperty("loop") int visitIndex,
        int generationIndex,
        String failure) {

    public PathMetrics {
        evals = evals == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(evals));
        offspringsPerTask = Collections.unmodifiableSortedMap(
                new TreeMap<>(offspringsPerTask == null ? Map.of() : offspringsPerTask));
        TreeMap<String, List<Object>> m = new TreeMap<>();
        // A mutation's parent value is null when the parent lacked the key: no List.copyOf here.
        (mutations == null ? Map.<String, List<Object>>of() : mutations)
                .forEach((k, v) -> m.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
        mutations = Collections.unmodifiableSortedMap(m);
    }

    /** The metrics of a path nobody trained: the root, before anything is known. */
    public static PathMetrics none() {
        return new PathMetrics(null, List.of(), null, null, 0, Map.of(), 0, false, false, Map.of(), 0, 0, 0,
                null, 0, 0, 0, null);
    }

    /** A freshly sampled child's metrics: where it was created and what it changes. */
    public static PathMetrics child(int generation, int visitIndex, int generationIndex,
            Map<String, List<Object>> mutations, long numTrainableParams, double trainableParamsRatio,
            double trainingAccountedParams) {
        return new PathMetrics(null, List.of(), null, null, 0, Map.of(), generation, false, false, mutations,
                numTrainableParams, trainableParamsRatio, trainingAccountedParams, null, 0, visitIndex,
                generationIndex, null);
    }

    public int offspringsFor(String task) {
        return offspringsPerTask.getOrDefault(task, 0);
    }

    /** One more child sampled from this path for {@code task} ({@code ownTask}: the path's own task). */
    public PathMetrics withOffspring(String task, boolean ownTask) {
        Map<String, Integer> perTask = new TreeMap<>(offspringsPerTask);
        perTask.merge(task, 1, Integer::sum);
        return new PathMetrics(quality, evals, testQuality, testPredictionsSha256,
                ownTask ? offsprings + 1 : offsprings, perTask, generation, improved, newBest, mutations,
                numTrainableParams, trainableParamsRatio, trainingAccountedParams, trainingScore, trainSeconds,
                visitIndex, generationIndex, failure);
    }

    /** What training the path produced; {@code quality} and {@code trainingScore} are null when it failed. */
    public PathMetrics trained(List<Double> newEvals, Double newQuality, boolean newImproved,
            Double newTrainingScore, double newTrainSeconds, String newFailure) {
        return new PathMetrics(newQuality, newEvals, testQuality, testPredictionsSha256, offsprings,
                offspringsPerTask, generation, newImproved, newBest, mutations, numTrainableParams,
                trainableParamsRatio, trainingAccountedParams, newTrainingScore, newTrainSeconds, visitIndex,
                generationIndex, newFailure);
    }

    /** The path became its task's best in the generation that created it. */
    public PathMetrics asNewBest() {
        return new PathMetrics(quality, evals, testQuality, testPredictionsSha256, offsprings, offspringsPerTask,
                generation, improved, true, mutations, numTrainableParams, trainableParamsRatio,
                trainingAccountedParams, trainingScore, trainSeconds, visitIndex, generationIndex, failure);
    }

    /** The test pass at the end of the path's task iteration. */
    public PathMetrics tested(double accuracy, String predictionsSha256) {
        return new PathMetrics(quality, evals, accuracy, predictionsSha256, offsprings, offspringsPerTask,
                generation, improved, newBest, mutations, numTrainableParams, trainableParamsRatio,
                trainingAccountedParams, trainingScore, trainSeconds, visitIndex, generationIndex, failure);
    }
}
