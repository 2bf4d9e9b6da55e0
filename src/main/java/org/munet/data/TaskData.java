package org.munet.data;

import java.util.List;

/**
 * A task ready to train: its three splits, class count and class names.
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
 * @param classNames one name per class in label order (recorded in the state, so predictions can
 *     name classes)
 */
public record TaskData(String name, int numClasses, ImageSet train, ImageSet validation, ImageSet test,
        List<String> classNames) {

    /** Checks that the three splits agree with each other and with {@code numClasses}. */
    public TaskData {
        classNames = List.copyOf(classNames);
        if (classNames.size() != numClasses) {
            throw new DatasetException(name + ": " + classNames.size() + " class names for " + numClasses + " classes");
        }
        for (ImageSet s : new ImageSet[] {train, validation, test}) {
            if (s.numClasses() != numClasses) {
                throw new DatasetException(name + ": split " + s.name() + " has " + s.numClasses()
                    + " classes but the task has " + numClasses);
            }
            if (s.size() > 0 && (s.channels() != train.channels() || s.height() != train.height()
                    || s.width() != train.width())) {
                throw new DatasetException(name + ": split " + s + " differs in geometry from " + train);
            }
        }
    }

    /** Decoded bytes held (what a cache of task data counts). */
    public long bytes() {
        long b = 0;
        for (ImageSet s : new ImageSet[] {train, validation, test}) {
            b += s.pixels().length + 4L * s.labels().length;
        }
        return b;
    }

    /** Class names {@code "0" .. "n-1"}: for datasets whose labels are only numbers. */
    public static List<String> numberedClasses(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(Integer::toString).toList();
    }
}
