package org.munet.nn;

/**
 * How long one candidate trains (spec §2.5): {@code validations} (V) rounds of
 * {@code stepsPerValidation} (Nb) steps, validating after each round.
 */
public record TrainingBudget(int validations, int stepsPerValidation) {

    public TrainingBudget {
        if (validations < 1 || stepsPerValidation < 1) {
            throw new IllegalArgumentException("a training budget needs at least one validation and"
                    + " one step per validation, got V=" + validations + " Nb=" + stepsPerValidation);
        }
    }

    public int totalSteps() {
        return validations * stepsPerValidation;
    }
}
