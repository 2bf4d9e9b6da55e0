package org.munet.evolution;

import java.util.List;

/**
 * One experiment's engine configuration (spec §2.1, §2.5, §5).
 *
 * @param tasks tasks in round-robin order
 * @param policy the policy's knobs
 * @param scoreBase the scorer's base (1 = plain validation accuracy)
 * @param candidatesPerGeneration D, one candidate per worker slot
 * @param samplesPerTask candidates per task iteration; generations = ceil(samples / D)
 * @param taskIterations times each task is visited
 * @param batchSize B
 * @param validations V
 * @param maxTrainExamplesBetweenValidations caps Nb = ceil(min(N, cap) / B)
 * @param maxValidationExamples cap of the fixed validation subset
 * @param seed the run's seed; every random decision derives from it
 * @param caches what each worker JVM may keep between candidates
 * @param threadsPerCandidate intra-op threads per candidate
 */
public record EngineSettings(
        List<TaskSpec> tasks,
        PolicySettings policy,
        double scoreBase,
        int candidatesPerGeneration,
        int samplesPerTask,
        int taskIterations,
        int batchSize,
        int validations,
        int maxTrainExamplesBetweenValidations,
        int maxValidationExamples,
        long seed,
        WorkerCaches caches,
        int threadsPerCandidate) {

    public int generationsPerTask() {
        return (samplesPerTask + candidatesPerGeneration - 1) / candidatesPerGeneration;
    }

    public int totalVisits() {
        return taskIterations * tasks.size();
    }

    public int stepsPerValidation(TaskSpec task) {
        int examples = Math.min(task.trainExamples(), maxTrainExamplesBetweenValidations);
        return Math.max(1, (examples + batchSize - 1) / batchSize);
    }
}
