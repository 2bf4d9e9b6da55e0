package org.munet.evolution;

import java.util.List;

/**
 * Trains and evaluates candidates somewhere: on local threads or on Spark executors. Specs in,
 * small results out; tensors go through the state store (the generation's {@code stateUri} and
 * {@code runId} name where trained components are staged). Implementations must return one result per spec, in order,
 * and report a diverged candidate as a failed result rather than throw.
 */
public interface CandidateRunner extends AutoCloseable {

    List<CandidateResult> train(GenerationInfo generation, List<CandidateSpec> specs);

    /**
     * Readies the workers for {@link #train} of these candidates; the engine calls it before every
     * generation, outside the generation's timing. A cluster runner starts its executors' engines and
     * reads the task's data there once, so that a generation's wall time measures the generation and
     * not the application's start-up. Must not change any result; by default does nothing.
     */
    default void warmUp(GenerationInfo generation, List<CandidateSpec> specs) {}

    List<TestResult> test(String stateUri, List<TestSpec> specs);

    @Override
    default void close() {}
}
