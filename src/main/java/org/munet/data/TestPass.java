package org.munet.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One pass over a whole set, in order, without augmentation: batches of {@code batchSize}, the
 * last one smaller when the size is not a multiple, so every example counts exactly once.
 * Used for final test reporting, never for selection. Each {@link #iterator()} is a fresh pass;
 * batches are preprocessed on the fly, not cached.
 */
public final class TestPass implements Iterable<Batch> {

    private final ImageSet set;
    private final int batchSize;
    private final DataHparams hparams;
    private final int outChannels;
    private final Source source;

    /** Everything a pass's batches are a function of, besides their positions. */
    private record Source(long set, int batchSize, DataHparams hparams, int outChannels) {}

    /**
     * @param set the set to evaluate
     * @param batchSize examples per batch (the last batch may hold fewer)
     * @param hparams image size (augmentation fields are ignored)
     * @param outChannels output channels (see {@link Preprocessor#fill})
     */
    public TestPass(ImageSet set, int batchSize, DataHparams hparams, int outChannels) {
        if (batchSize <= 0) {
            throw new DatasetException(set.name() + ": batch size must be positive, got " + batchSize);
        }
        this.set = set;
        this.batchSize = batchSize;
        this.hparams = hparams;
        this.outChannels = outChannels;
        this.source = new Source(set.identity(), batchSize, hparams, outChannels);
    }

    /** @return {@code ceil(size / batchSize)} */
    public int numBatches() {
        return (set.size() + batchSize - 1) / batchSize;
    }

    /** @return a fresh pass over the set */
    @Override
    public Iterator<Batch> iterator() {
        return new Iterator<>() {
            private final Preprocessor preprocessor = new Preprocessor();
            private int next;

            @Override
            public boolean hasNext() {
                return next < set.size();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int count = Math.min(batchSize, set.size() - next);
                Batch b = preprocessor.batch(set, null, next, count, hparams, false, outChannels, null);
                BatchKey key = new BatchKey(source, next / batchSize);
                next += count;
                return b.withKey(key);
            }
        };
    }
}
