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
 * @param shards the train split streamed in shards when it is too large for the cache (then
 *     {@code train} is empty and may not be asked for); null when it is held whole
 */
public record TaskData(String name, int numClasses, ImageSet train, ImageSet validation, ImageSet test,
        List<String> classNames, TrainShards shards) implements Sized {

    /** A task held whole. */
    public TaskData(String name, int numClasses, ImageSet train, ImageSet validation, ImageSet test,
            List<String> classNames) {
        this(name, numClasses, train, validation, test, classNames, null);
    }

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

    /** The train split held whole; a task streamed in shards has none ({@link #shards}). */
    @Override
    public ImageSet train() {
        if (shards != null) {
            throw new IllegalStateException(name + ": its train split is streamed in shards");
        }
        return train;
    }

    /** Examples in the train split, held whole or in shards. */
    public int trainSize() {
        return shards != null ? shards.size() : train.size();
    }

    /** Every train example's label, held whole or in shards; never write to it. */
    public int[] trainLabels() {
        return shards != null ? shards.labels() : train.labels();
    }

    /** Decoded bytes held (what a cache of task data counts; shards are counted as they load). */
    @Override
    public long bytes() {
        long b = 0;
        for (ImageSet s : new ImageSet[] {train, validation, test}) {
            b += s.bytes();
        }
        return b;
    }

    /** Class names {@code "0" .. "n-1"}: for datasets whose labels are only numbers. */
    public static List<String> numberedClasses(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(Integer::toString).toList();
    }
}
