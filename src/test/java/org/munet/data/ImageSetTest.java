package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageSetTest {

    @Test
    void labelOutOfRangeNamesSetIndexAndLabel() {
        int[] labels = new int[400];
        labels[345] = 12;
        DatasetException e = assertThrows(DatasetException.class,
            () -> new ImageSet("mnist/train", 1, 2, 2, new byte[400 * 4], labels, 10));
        assertEquals("label 12 at index 345 of mnist/train is outside the task's 10 classes; fix the label file,"
            + " or the dataset's declared class count", e.getMessage());
        labels[345] = -1;
        assertTrue(assertThrows(DatasetException.class,
            () -> new ImageSet("s", 1, 2, 2, new byte[400 * 4], labels, 10)).getMessage().contains("negative"));
    }

    @Test
    void imageAndLabelCountsMustAgree() {
        DatasetException e = assertThrows(DatasetException.class,
            () -> new ImageSet("x/test", 1, 2, 2, new byte[3 * 4], new int[4], 10));
        assertTrue(e.getMessage().startsWith("x/test: 4 labels but 12 pixel bytes"), e.getMessage());
    }

    @Test
    void sliceAndSelectCopyTheRightImages() {
        byte[] px = new byte[5 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) i;
        }
        ImageSet s = new ImageSet("s", 1, 1, 2, px, new int[] {0, 1, 2, 0, 1}, 3);
        ImageSet sl = s.slice(1, 3);
        assertEquals(2, sl.size());
        assertArrayEquals(new byte[] {2, 3, 4, 5}, sl.pixels());
        assertArrayEquals(new int[] {1, 2}, sl.labels());
        ImageSet se = s.select(new int[] {4, 0});
        assertArrayEquals(new byte[] {8, 9, 0, 1}, se.pixels());
        assertArrayEquals(new int[] {1, 0}, se.labels());
        assertThrows(DatasetException.class, () -> s.slice(3, 6));
        assertThrows(DatasetException.class, () -> s.select(new int[] {5}));
    }
}
