package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TransformTest {

    /** 2 images of 3 rows x 4 columns. */
    private final ImageSet set = TestFiles.randomSet(2, 3, 4, 10, 1);

    private static int px(ImageSet s, int img, int r, int c) {
        return s.pixels()[img * s.height() * s.width() + r * s.width() + c] & 0xff;
    }

    @Test
    void rot90IsClockwiseAndSwapsShape() {
        ImageSet r = new RotateTransform(90).apply(set);
        assertEquals(4, r.height());
        assertEquals(3, r.width());
        // Clockwise: the top-left pixel goes to the top-right corner, bottom-left to top-left.
        assertEquals(px(set, 1, 0, 0), px(r, 1, 0, 2));
        assertEquals(px(set, 1, 2, 0), px(r, 1, 0, 0));
        // General rule: (row, col) -> (col, H-1-row).
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 4; col++) {
                assertEquals(px(set, 0, row, col), px(r, 0, col, 2 - row));
            }
        }
        assertArrayEquals(set.labels(), r.labels());
    }

    @Test
    void fourQuarterTurnsAreIdentityAndAnglesCompose() {
        TaskTransform r90 = new RotateTransform(90);
        ImageSet once = r90.apply(set);
        ImageSet twice = r90.apply(once);
        ImageSet thrice = r90.apply(twice);
        assertArrayEquals(set.pixels(), r90.apply(thrice).pixels());
        assertArrayEquals(twice.pixels(), new RotateTransform(180).apply(set).pixels());
        assertArrayEquals(thrice.pixels(), new RotateTransform(270).apply(set).pixels());
        assertFalse(Arrays.equals(set.pixels(), twice.pixels()));
    }

    @Test
    void permutationIsADeterministicBijection() {
        int[] p = new PermuteTransform(7).permutation(784);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(p, new PermuteTransform(7).permutation(784));
        assertFalse(Arrays.equals(p, new PermuteTransform(8).permutation(784)));
        long fixed = java.util.stream.IntStream.range(0, 784).filter(i -> p[i] == i).count();
        assertTrue(fixed < 10, "a random permutation has few fixed points, got " + fixed);

        ImageSet out = new PermuteTransform(7).apply(set);
        int[] q = new PermuteTransform(7).permutation(12);
        for (int img = 0; img < 2; img++) {
            for (int i = 0; i < 12; i++) {
                assertEquals(set.pixels()[img * 12 + q[i]], out.pixels()[img * 12 + i]);
            }
        }
    }

    @Test
    void invertedIs255Minus() {
        ImageSet inv = new InvertTransform().apply(set);
        for (int i = 0; i < set.pixels().length; i++) {
            assertEquals(255, (set.pixels()[i] & 0xff) + (inv.pixels()[i] & 0xff));
        }
    }

    @Test
    void labelSubsetFiltersAndRelabelsInListedOrder() {
        byte[] px = new byte[6];
        for (int i = 0; i < 6; i++) {
            px[i] = (byte) i;
        }
        ImageSet s = new ImageSet("s", 1, 1, 1, px, new int[] {3, 7, 1, 7, 5, 3}, 10);
        LabelSubsetTransform t = new LabelSubsetTransform(new int[] {7, 3}, "labels:7,3");
        ImageSet out = t.apply(s);
        assertEquals(2, out.numClasses());
        assertArrayEquals(new int[] {1, 0, 0, 1}, out.labels());
        assertArrayEquals(new byte[] {0, 1, 3, 5}, out.pixels());
        DatasetException e = assertThrows(DatasetException.class, () -> t.numClasses(5));
        assertTrue(e.getMessage().contains("label 7 is >= num_classes 5"), e.getMessage());
    }
}
