package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Equal batch keys promise equal batches; anything a batch depends on is in its key. */
class BatchKeyTest {

    private static final DataHparams AUGMENTED = new DataHparams(12, true, 0.5, 0.75, true, 0.1, 0.1, 0.1, 0.0);

    @Test
    void streamsOfEqualParametersYieldEqualBatchesUnderEqualKeys() {
        ImageSet set = set("digits", 1);
        TrainStream a = new TrainStream(set, 8, AUGMENTED, 1, 42);
        TrainStream b = new TrainStream(set, 8, AUGMENTED, 1, 42);
        for (int i = 0; i < 20; i++) { // several epochs of 5 batches
            Batch x = a.next();
            Batch y = b.next();
            assertNotNull(x.key());
            assertEquals(x.key(), y.key());
            assertEquals(i, x.key().index());
            assertArrayEquals(x.images(), y.images());
            assertArrayEquals(x.labels(), y.labels());
        }
    }

    @Test
    void everythingABatchDependsOnIsInItsKey() {
        ImageSet set = set("digits", 1);
        BatchKey base = new TrainStream(set, 8, AUGMENTED, 1, 42).next().key();
        assertNotEquals(base, new TrainStream(set, 8, AUGMENTED, 1, 43).next().key(), "seed");
        assertNotEquals(base, new TrainStream(set, 4, AUGMENTED, 1, 42).next().key(), "batch size");
        assertNotEquals(base, new TrainStream(set, 8, DataHparams.none(12), 1, 42).next().key(), "augmentation");
        assertNotEquals(base, new TrainStream(set, 8, AUGMENTED, 3, 42).next().key(), "channels");
        // Another set of the same name and shape (another data directory, say) is another source.
        assertNotEquals(base, new TrainStream(set("digits", 2), 8, AUGMENTED, 1, 42).next().key(), "examples");
    }

    @Test
    void validationSubsetsAndTestPassesOfOneSetShareKeys() {
        ImageSet set = set("digits", 1);
        ValidationSubset one = new ValidationSubset(set, 24, 8, DataHparams.none(12), 1);
        ValidationSubset two = new ValidationSubset(set, 24, 8, DataHparams.none(12), 1);
        assertEquals(3, one.batches().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, one.batches().get(i).key().index());
            assertEquals(one.batches().get(i).key(), two.batches().get(i).key());
        }
        assertNotEquals(one.batches().get(0).key(),
                new ValidationSubset(set, 16, 8, DataHparams.none(12), 1).batches().get(0).key(), "sizing");
        var first = new TestPass(set, 16, DataHparams.none(12), 1).iterator();
        var second = new TestPass(set, 16, DataHparams.none(12), 1).iterator();
        for (int i = 0; first.hasNext(); i++) {
            Batch x = first.next();
            Batch y = second.next();
            assertEquals(i, x.key().index());
            assertEquals(x.key(), y.key());
            assertArrayEquals(x.images(), y.images());
        }
    }

    /** 40 random 12x12 grayscale images; each call a new set. */
    private static ImageSet set(String name, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] pixels = new byte[40 * 12 * 12];
        int[] labels = new int[40];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rng.nextInt(256);
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(10);
        }
        return new ImageSet(name, 1, 12, 12, pixels, labels, 10);
    }
}
