package org.munet.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed validation subset every candidate is scored on.
 *
 * <p>Sizing follows the reference: with {@code N} validation examples, at most {@code M}
 * examples to use and batch size {@code B}: if {@code N >= M}, {@code B}-sized batches,
 * {@code floor(M/B)} of them; otherwise {@code ceil(N/B)} batches of {@code floor(N/numBatches)}
 * (batches as even as possible, a few examples dropped). The subset is the first
 * {@code numBatches*batch} examples, in order, without augmentation, preprocessed once and cached so
 * that every validation sees exactly the same inputs.
 */
public final class ValidationSubset {

    /**
     * @param numBatches number of batches
     * @param batchSize examples per batch
     */
    public record Sizing(int numBatches, int batchSize) {

        /** @return examples used, {@code numBatches*batchSize} */
        public int examples() {
            return numBatches * batchSize;
        }

        /**
         * @param n validation examples available
         * @param maxExamples most examples to use
         * @param batchSize preferred batch size
         * @return the reference's sizing
         */
        public static Sizing of(int n, int maxExamples, int batchSize) {
            if (n <= 0 || maxExamples <= 0 || batchSize <= 0) {
                throw new DatasetException("validation sizing needs positive values: examples " + n
                    + ", max examples " + maxExamples + ", batch size " + batchSize);
            }
            if (n >= maxExamples) {
                if (maxExamples < batchSize) {
                    throw new DatasetException("validation max examples " + maxExamples
                        + " is smaller than one batch of " + batchSize);
                }
                return new Sizing(maxExamples / batchSize, batchSize);
            }
            int numBatches = (n + batchSize - 1) / batchSize;
            return new Sizing(numBatches, n / numBatches);
        }
    }

    private final ImageSet set;
    private final Sizing sizing;
    private final DataHparams hparams;
    private final int outChannels;
    private final Source source;
    private List<Batch> batches;

    /** Everything the subset's batches are a function of, besides their positions. */
    private record Source(long set, Sizing sizing, DataHparams hparams, int outChannels) {}

    /**
     * @param set the validation split
     * @param maxExamples most examples to use
     * @param batchSize preferred batch size
     * @param hparams image size (augmentation fields are ignored: never augmented)
     * @param outChannels output channels (see {@link Preprocessor#fill})
     */
    public ValidationSubset(ImageSet set, int maxExamples, int batchSize, DataHparams hparams, int outChannels) {
        this.set = set;
        this.sizing = Sizing.of(set.size(), maxExamples, batchSize);
        this.hparams = hparams;
        this.outChannels = outChannels;
        this.source = new Source(set.identity(), sizing, hparams, outChannels);
    }

    /** @return the batch count and size */
    public Sizing sizing() {
        return sizing;
    }

    /**
     * @return the batches, preprocessed on first call and then shared (never write to them); keyed
     *     ({@link BatchKey}): equal subsets of one set yield equal keys
     */
    public synchronized List<Batch> batches() {
        if (batches == null) {
            Preprocessor p = new Preprocessor();
            List<Batch> list = new ArrayList<>(sizing.numBatches());
            for (int b = 0; b < sizing.numBatches(); b++) {
                list.add(p.batch(set, null, b * sizing.batchSize(), sizing.batchSize(), hparams, false,
                    outChannels, null).withKey(new BatchKey(source, b)));
            }
            batches = List.copyOf(list);
        }
        return batches;
    }
}
