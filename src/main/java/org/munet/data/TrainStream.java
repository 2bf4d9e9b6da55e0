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
 * <p>A train split streamed in shards ({@link TrainShards}) is visited shard by shard: each epoch
 * takes the shards in a fresh random order and each shard's examples in a fresh random order, and
 * a shard's last partial batch is dropped. Only the shard being read is held by the stream.
 * Deliberate deviation, for data the reference never held whole either: the shuffle is within
 * shards, not over the whole split (TFDS shuffles files and then a buffer, the same in spirit).
 *
 * <p>Not thread-safe.
 */
public final class TrainStream implements Iterator<Batch> {

    private ImageSet set;
    private final TrainShards shards;
    private int[] shardOrder;
    private int shardPosition;
    private final int batchSize;
    private final DataHparams hparams;
    private final int outChannels;
    private final SplittableRandom shuffleRng;
    private final SplittableRandom augmentRng;
    private final Preprocessor preprocessor = new Preprocessor();
    private int[] order;
    private int batchesPerEpoch;
    private int nextBatchInEpoch;
    private long epoch = -1;
    /** What every batch is a function of, with its position; null when sharded (see {@link #next}). */
    private final Source source;
    private long position;

    /** Everything a batch of a stream over a set held whole is a function of, besides its position. */
    private record Source(long set, int batchSize, DataHparams hparams, int outChannels, long seed) {}

    /**
     * @param set training examples
     * @param batchSize examples per batch; at most {@code set.size()}
     * @param hparams augmentation and image size
     * @param outChannels output channels (see {@link Preprocessor#fill})
     * @param seed determines the order and the augmentations
     * @throws DatasetException if the set holds fewer examples than one batch
     */
    public TrainStream(ImageSet set, int batchSize, DataHparams hparams, int outChannels, long seed) {
        this(requireOneBatch(set, batchSize), null, batchSize, hparams, outChannels, seed);
    }

    /**
     * A stream over a train split held whole, or streamed in shards.
     *
     * @see #TrainStream(ImageSet, int, DataHparams, int, long)
     */
    public static TrainStream of(TaskData data, int batchSize, DataHparams hparams, int outChannels, long seed) {
        if (data.shards() == null) {
            return new TrainStream(data.train(), batchSize, hparams, outChannels, seed);
        }
        TrainShards shards = data.shards();
        for (int k = 0; k < shards.count(); k++) {
            if (shards.size(k) < batchSize) {
                throw new DatasetException(data.name() + ": train shard " + k + " holds " + shards.size(k)
                    + " examples, fewer than one batch of " + batchSize + "; lower the batch size");
            }
        }
        return new TrainStream(null, shards, batchSize, hparams, outChannels, seed);
    }

    /** Exactly one of {@code set} and {@code shards} is given. */
    private TrainStream(ImageSet set, TrainShards shards, int batchSize, DataHparams hparams, int outChannels,
                        long seed) {
        this.set = set;
        this.shards = shards;
        this.batchSize = batchSize;
        this.hparams = hparams;
        this.outChannels = outChannels;
        // Shards are decoded anew after a cache eviction, so they carry no lasting identity.
        this.source = set == null ? null : new Source(set.identity(), batchSize, hparams, outChannels, seed);
        SplittableRandom root = new SplittableRandom(seed);
        this.shuffleRng = root.split();
        this.augmentRng = root.split();
        if (shards == null) {
            this.order = new int[set.size()];
            this.batchesPerEpoch = set.size() / batchSize;
            this.nextBatchInEpoch = batchesPerEpoch; // forces a shuffle on the first call
        } else {
            this.shardOrder = new int[shards.count()];
            this.shardPosition = shards.count(); // forces a shard order on the first call
        }
    }

    private static ImageSet requireOneBatch(ImageSet set, int batchSize) {
        if (batchSize <= 0) {
            throw new DatasetException(set.name() + ": batch size must be positive, got " + batchSize);
        }
        if (set.size() < batchSize) {
            throw new DatasetException(set.name() + ": " + set.size() + " training examples, fewer than one batch of "
                + batchSize + "; lower the batch size");
        }
        return set;
    }

    /** @return always true: the stream is infinite */
    @Override
    public boolean hasNext() {
        return true;
    }

    /**
     * @return the next batch of {@code batchSize} augmented examples; over a set held whole, keyed
     *     ({@link BatchKey}): two streams of equal parameters yield equal batches at equal positions
     */
    @Override
    public Batch next() {
        if (shards != null && nextBatchInEpoch == batchesPerEpoch) {
            nextShard();
        } else if (nextBatchInEpoch == batchesPerEpoch) {
            shuffle(order, shuffleRng);
            nextBatchInEpoch = 0;
            epoch++;
        }
        Batch b = preprocessor.batch(set, order, nextBatchInEpoch * batchSize, batchSize, hparams, true,
            outChannels, augmentRng);
        nextBatchInEpoch++;
        Batch keyed = source == null ? b : b.withKey(new BatchKey(source, position));
        position++;
        return keyed;
    }

    /** Moves to the next shard (a new epoch after the last), decoding it or taking it from the cache. */
    private void nextShard() {
        set = null; // let the last shard go before the next one loads
        shardPosition++;
        if (shardPosition >= shardOrder.length) {
            shuffle(shardOrder, shuffleRng);
            shardPosition = 0;
            epoch++;
        }
        set = shards.shard(shardOrder[shardPosition]);
        order = new int[set.size()];
        batchesPerEpoch = set.size() / batchSize;
        shuffle(order, shuffleRng);
        nextBatchInEpoch = 0;
    }

    /** @return full batches per epoch ({@code size / batchSize}, remainder dropped; per shard when sharded) */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** @return the epoch of the last batch returned (0-based; -1 before the first) */
    public long epoch() {
        return epoch;
    }

    /** Fisher-Yates from the identity, so each epoch's order depends only on the rng state. */
    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
