package org.munet.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reference's path metrics (spec §1.3) that the algorithm or the reports use. A plain mutable
 * record of public fields: the policy updates them as the reference does (offspring counters rise
 * when a child is sampled), and the manifest serialises them as they are.
 */
public final class PathMetrics {

    /** Best validation accuracy while training; null for the root. */
    public Double quality;
    /** Every validation accuracy, in order. */
    public List<Double> evals = new ArrayList<>();
    /** Test accuracy, set at the end of the task's iteration; never used for selection. */
    public Double testQuality;
    /** SHA-256 of the test predictions (one byte per example), to prove immunity. */
    public String testPredictionsSha256;
    /** Children created for the path's own task. */
    public int offsprings;
    /** Children created per task; persists across task iterations and resumes (spec §2.3). */
    public Map<String, Integer> offspringsPerTask = new TreeMap<>();
    /** Depth: the parent's generation + 1. */
    public int generation;
    public boolean improved;
    public boolean newBest;
    /** Hyperparameters that differ from the parent: key to [parent value, child value]. */
    public Map<String, List<Object>> mutations = new TreeMap<>();
    /** Parameters created or cloned for this path ("new parameters for this task"). */
    public long numTrainableParams;
    public double trainableParamsRatio;
    public double trainingAccountedParams;
    public Double trainingScore;
    /** Wall seconds of training plus validation (the reference's train_time). */
    public double trainSeconds;
    /** Task iteration (loop) and generation in which the path was created. */
    public int loop;
    public int generationIndex;
    /** Why training failed (e.g. the loss diverged), or null. */
    public String failure;

    public int offspringsFor(String task) {
        return offspringsPerTask.getOrDefault(task, 0);
    }
}
