package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamsTest {

    /** n 1x2x2 images whose first two pixels encode the index (decodable after identity preprocessing). */
    private static ImageSet indexed(int n) {
        byte[] px = new byte[n * 4];
        for (int i = 0; i < n; i++) {
            px[i * 4] = (byte) (i & 0xff);
            px[i * 4 + 1] = (byte) (i >> 8);
        }
        return TestFiles.set("indexed", n, 2, 2, 10, px);
    }

    private static int decode(Batch b, int k) {
        int per = b.channels() * b.imageSize() * b.imageSize();
        int lo = Math.round((b.images()[k * per] + 1f) * 127.5f);
        int hi = Math.round((b.images()[k * per + 1] + 1f) * 127.5f);
        return lo + 256 * hi;
    }

    @Test
    void sameSeedGivesIdenticalBatchesDifferentSeedsDiffer() {
        ImageSet s = TestFiles.randomSet(50, 28, 28, 10, 3);
        DataHparams h = DataHparams.defaults(16);
        TrainStream a = new TrainStream(s, 8, h, 3, 11);
        TrainStream b = new TrainStream(s, 8, h, 3, 11);
        TrainStream c = new TrainStream(s, 8, h, 3, 12);
        boolean differs = false;
        for (int k = 0; k < 14; k++) { // crosses two epoch boundaries (6 batches per epoch)
            Batch x = a.next();
            Batch y = b.next();
            Batch z = c.next();
            assertEquals(8, x.size());
            assertEquals(3 * 16 * 16 * 8, x.images().length);
            assertArrayEquals(x.images(), y.images());
            assertArrayEquals(x.labels(), y.labels());
            differs |= !Arrays.equals(x.images(), z.images());
        }
        assertTrue(differs);
        assertEquals(2, a.epoch());
    }

    @Test
    void eachEpochIsAFreshPermutationWithoutThePartialBatch() {
        ImageSet s = indexed(300);
        TrainStream t = new TrainStream(s, 32, DataHparams.none(2), 1, 5);
        assertEquals(9, t.batchesPerEpoch());
        List<Integer> first = new java.util.ArrayList<>();
        List<Integer> second = new java.util.ArrayList<>();
        for (int e = 0; e < 2; e++) {
            for (int k = 0; k < 9; k++) {
                Batch b = t.next();
                for (int i = 0; i < b.size(); i++) {
                    int idx = decode(b, i);
                    assertEquals(s.labels()[idx], b.labels()[i]);
                    (e == 0 ? first : second).add(idx);
                }
            }
        }
        assertEquals(288, new HashSet<>(first).size(), "no repeats within an epoch");
        assertEquals(288, new HashSet<>(second).size());
        assertFalse(first.equals(second), "a fresh order each epoch");
        assertThrows(DatasetException.class, () -> new TrainStream(indexed(5), 8, DataHparams.none(2), 1, 0));
    }

    @Test
    void validationSizingFollowsTheReference() {
        ValidationSubset.Sizing small = ValidationSubset.Sizing.of(3000, 5120, 128);
        assertEquals(24, small.numBatches());
        assertEquals(125, small.batchSize());
        ValidationSubset.Sizing large = ValidationSubset.Sizing.of(60000, 5120, 512);
        assertEquals(10, large.numBatches());
        assertEquals(512, large.batchSize());
        ValidationSubset.Sizing exact = ValidationSubset.Sizing.of(5120, 5120, 100);
        assertEquals(51, exact.numBatches());
        assertEquals(100, exact.batchSize());
        ValidationSubset.Sizing tiny = ValidationSubset.Sizing.of(10, 5120, 128);
        assertEquals(1, tiny.numBatches());
        assertEquals(10, tiny.batchSize());
    }

    @Test
    void validationBatchesAreTheFirstExamplesInOrderAndCached() {
        ImageSet s = indexed(300);
        ValidationSubset v = new ValidationSubset(s, 5120, 128, DataHparams.defaults(2), 1);
        // N=300 < M: ceil(300/128) = 3 batches of floor(300/3) = 100.
        List<Batch> batches = v.batches();
        assertEquals(3, batches.size());
        int next = 0;
        for (Batch b : batches) {
            assertEquals(100, b.size());
            for (int i = 0; i < b.size(); i++) {
                assertEquals(next++, decode(b, i)); // in order and not augmented (decodes exactly)
            }
        }
        assertSame(batches, v.batches());
    }

    @Test
    void testPassCoversEveryExampleOnceWithPartialLastBatch() {
        ImageSet s = indexed(300);
        TestPass p = new TestPass(s, 128, DataHparams.defaults(2), 1);
        assertEquals(3, p.numBatches());
        Set<Integer> seen = new HashSet<>();
        int[] sizes = new int[3];
        int k = 0;
        int next = 0;
        for (Batch b : p) {
            sizes[k++] = b.size();
            for (int i = 0; i < b.size(); i++) {
                int idx = decode(b, i);
                assertEquals(next++, idx);
                assertTrue(seen.add(idx));
            }
        }
        assertArrayEquals(new int[] {128, 128, 44}, sizes);
        assertEquals(300, seen.size());
    }
}
