package org.munet.data;

/**
 * A task ready to train: its three splits and class count.
 *
 * <p>{@link #train()} is for gradient steps and {@link #validation()} for every model-selection
 * decision (scoring candidates, choosing the best checkpoint). {@link #test()} is never used for
 * selection: it is evaluated only to report the final quality of an already chosen model, so
 * that the reported test accuracy is not biased by the search.
 *
 * @param name the full task name, e.g. {@code mnist/rot90/inverted}
 * @param numClasses number of classes (labels lie in {@code [0, numClasses)})
 * @param train training split
 * @param validation validation split, used for all selection
 * @param test test split, used only for final reporting
 */
public record TaskData(String name, int numClasses, ImageSet train, ImageSet validation, ImageSet test) {

    /** Checks that the three splits agree with each other and with {@code numClasses}. */
    public TaskData {
        for (ImageSet s : new ImageSet[] {train, validation, test}) {
            if (s.numClasses() != numClasses) {
                throw new DatasetException(name + ": split " + s.name() + " has " + s.numClasses()
                    + " classes but the task has " + numClasses);
            }
            if (s.channels() != train.channels() || s.height() != train.height() || s.width() != train.width()) {
                throw new DatasetException(name + ": split " + s + " differs in geometry from " + train);
            }
        }
    }
}
