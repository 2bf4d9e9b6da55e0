package org.munet.evolution;

import org.munet.system.TaskSource;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.munet.system.ModelDims;

/**
 * Everything a worker needs to train one candidate, and nothing heavier: component references,
 * hyperparameters, seeds and budgets, never tensors (tensors move through the state store). The
 * same spec is trained by the local runner's threads or by a Spark executor.
 *
 * @param pathId the child path's id
 * @param task the task's full name (a {@code private:} marker included)
 * @param source where the task's base dataset lives and how to read it (resolved)
 * @param dims backbone dimensions
 * @param components the child's components in model order, with how to obtain each
 * @param hparams the child's hyperparameters (the reference's key names)
 * @param initSeed seed of fresh component initialisation
 * @param dataSeed seed of the training batch order; equal across a generation so that every
 *     candidate sees the same batches (spec §6)
 * @param batchSize training and validation batch size
 * @param validations V
 * @param stepsPerValidation Nb
 * @param maxValidationExamples cap of the fixed validation subset
 * @param keep the keep rule: the child's score penalty under the current locks and the score to beat
 * @param threads intra-op threads for this candidate
 * @param caches the worker JVM's cache bounds
 */
public record CandidateSpec(
        long pathId,
        String task,
        TaskSource source,
        ModelDims dims,
        List<ComponentPlan> components,
        Map<String, Object> hparams,
        long initSeed,
        long dataSeed,
        int batchSize,
        int validations,
        int stepsPerValidation,
        int maxValidationExamples,
        KeepRule keep,
        int threads,
        WorkerCaches caches) implements Serializable {}
