package org.munet.data;

/**
 * The identity of one batch: equal keys promise equal batches, pixel for pixel and label for label.
 *
 * <p>A batch source gives its batches keys only where that promise holds: a stream whose every
 * batch is a function of its parameters and its position ({@link TrainStream} over a set held
 * whole: order and augmentation come from its seed), the fixed validation subset, a test pass.
 * A batch without a key (a sharded stream, a prediction request) is never taken for another.
 *
 * @param source what produced the batch: a record of everything the batch is a function of, the
 *     examples named by {@link ImageSet#identity()} (never by name: two sets of one name may differ)
 * @param index the batch's position in that source
 */
public record BatchKey(Object source, long index) {

    public BatchKey {
        if (source == null || index < 0) {
            throw new IllegalArgumentException("a batch key needs a source and a non-negative index");
        }
    }
}
