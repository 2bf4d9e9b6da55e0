package org.munet.data;

import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * The infinite stream of augmented training batches.
 *
 * <p>Each epoch visits the examples in a fresh random permutation and drops the last partial
 * batch, so every batch has exactly {@code batchSize} examples. Deliberate deviation: the
 * reference shuffles input files and then uses a 10-batch shuffle buffer; we shuffle whole
 * examples per epoch, which is a better shuffle and cheap in memory here.
 *
 * <p>Determinism: everything random derives from {@code seed} (one split of
 * {@code SplittableRandom(seed)} for the epoch permutations, another for augmentation), so two
 * streams with the same seed over the same set yield identical batches. That is how all
 * candidates of a generation train on the same batches.
 *
 * <p>Not thread-safe.
 */
public final class TrainStream implements Iterator<Batch> {

    private final ImageSet set;
    private final int batchSize;
    private final DataHparams hparams;
    private final int outChannels;
    private final SplittableRandom shuffleRng;
    private final SplittableRandom augmentRng;
    private final Preprocessor preprocessor = new Preprocessor();
    private final int[] order;
    private final int batchesPerEpoch;
    private int nextBatchInEpoch;
    private long epoch = -1;

    /**
     * @param set training examples
     * @param batchSize examples per batch; at most {@code set.size()}
     * @param hparams augmentation and image size
     * @param outChannels output channels (see {@link Preprocessor#fill})
     * @param seed determines the order and the augmentations
     * @throws DatasetException if the set holds fewer examples than one batch
     */
    public TrainStream(ImageSet set, int batchSize, DataHparams hparams, int outChannels, long seed) {
        if (batchSize <= 0) {
            throw new DatasetException(set.name() + ": batch size must be positive, got " + batchSize);
        }
        if (set.size() < batchSize) {
            throw new DatasetException(set.name() + ": " + set.size() + " training examples, fewer than one batch of "
                + batchSize + "; lower the batch size");
        }
        this.set = set;
        this.batchSize = batchSize;
        this.hparams = hparams;
        this.outChannels = outChannels;
        SplittableRandom root = new SplittableRandom(seed);
        this.shuffleRng = root.split();
        this.augmentRng = root.split();
        this.order = new int[set.size()];
        this.batchesPerEpoch = set.size() / batchSize;
        this.nextBatchInEpoch = batchesPerEpoch; // forces a shuffle on the first call
    }

    /** @return always true: the stream is infinite */
    @Override
    public boolean hasNext() {
        return true;
    }

    /** @return the next batch of {@code batchSize} augmented examples */
    @Override
    public Batch next() {
        if (nextBatchInEpoch == batchesPerEpoch) {
            shuffle();
            nextBatchInEpoch = 0;
            epoch++;
        }
        Batch b = preprocessor.batch(set, order, nextBatchInEpoch * batchSize, batchSize, hparams, true,
            outChannels, augmentRng);
        nextBatchInEpoch++;
        return b;
    }

    /** @return full batches per epoch ({@code size / batchSize}, remainder dropped) */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** @return the epoch of the last batch returned (0-based; -1 before the first) */
    public long epoch() {
        return epoch;
    }

    /** Fisher-Yates from the identity, so each epoch's order depends only on the rng state. */
    private void shuffle() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = shuffleRng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
