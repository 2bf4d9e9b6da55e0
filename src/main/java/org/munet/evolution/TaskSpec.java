package org.munet.evolution;

/**
 * A task as the engine sees it.
 *
 * @param name full task name ({@code private:} marker included)
 * @param numClasses classes of its head
 * @param trainExamples size of its training split (sets the steps between validations)
 */
public record TaskSpec(String name, int numClasses, int trainExamples) {}
