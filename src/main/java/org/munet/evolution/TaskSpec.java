package org.munet.evolution;

import java.util.List;
import java.util.stream.IntStream;
import org.munet.system.TaskNames;
import org.munet.system.TaskSource;

/**
 * A task as the engine sees it.
 *
 * @param name full task name ({@code private:} marker included)
 * @param numClasses classes of its head
 * @param trainExamples size of its training split (sets the steps between validations)
 * @param source where its base dataset lives, resolved, as workers receive it
 * @param classNames one name per class in label order, recorded in the state when the task
 *     enters the system (predictions name classes with them)
 */
public record TaskSpec(String name, int numClasses, int trainExamples, TaskSource source, List<String> classNames) {

    public TaskSpec {
        classNames = List.copyOf(classNames);
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException(name + ": " + classNames.size() + " class names for " + numClasses
                    + " classes");
        }
    }

    /**
     * A task whose classes are only numbers and whose source is its bare dataset name (the engine's
     * own tests and replays, which never read data).
     */
    public TaskSpec(String name, int numClasses, int trainExamples) {
        this(name, numClasses, trainExamples, TaskSource.named(TaskNames.datasetName(name).split("/", 2)[0]),
                IntStream.range(0, numClasses).mapToObj(Integer::toString).toList());
    }
}
