package org.munet.evolution;

/**
 * What the keep rule made of one trained candidate.
 *
 * @param pathId the candidate's path id
 * @param validation its best validation accuracy, or null when training failed
 * @param kept whether it entered the population
 * @param reason why it was rejected (a failure, or the score it fell short with), null when kept
 */
public record CandidateOutcome(long pathId, Double validation, boolean kept, String reason) {}
