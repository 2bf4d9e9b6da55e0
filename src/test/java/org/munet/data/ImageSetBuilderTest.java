package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageSetBuilderTest {

    private static DecodedImage image(int c, int h, int w, long seed) {
        byte[] px = new byte[c * h * w];
        new SplittableRandom(seed).nextBytes(px);
        return new DecodedImage(c, h, w, px);
    }

    @Test
    void commonSizeIsTheModeThenTheLargerAreaThenTheLargerHeight() {
        DecodedImage a = image(1, 4, 4, 1);
        DecodedImage b = image(1, 2, 8, 2);
        DecodedImage c = image(1, 3, 3, 3);
        DecodedImage big = image(1, 9, 9, 4);
        assertEquals(new ImageSetBuilder.Size(3, 3),
            ImageSetBuilder.commonSize(List.of(List.of(c, big), List.of(c))));
        // Counts tie: the larger area.
        assertEquals(new ImageSetBuilder.Size(9, 9), ImageSetBuilder.commonSize(List.of(List.of(c, big))));
        // Counts and areas tie (4x4 and 2x8): the larger height, whatever the order.
        assertEquals(new ImageSetBuilder.Size(4, 4), ImageSetBuilder.commonSize(List.of(List.of(a, b, b), List.of(a))));
        assertEquals(new ImageSetBuilder.Size(4, 4), ImageSetBuilder.commonSize(List.of(List.of(b, a))));
        assertNull(ImageSetBuilder.commonSize(List.of(List.of())));
        assertEquals(1, ImageSetBuilder.channels(List.of(List.of(a, b))));
        assertEquals(3, ImageSetBuilder.channels(List.of(List.of(a), List.of(image(3, 2, 2, 5)))));
    }

    @Test
    void resizeIsTfBilinearWithHalfPixelCentresRounded() {
        // 1x2 -> 1x4: columns sample x = -0.25, 0.25, 0.75, 1.25 (clamped): 0, 63.75, 191.25, 255.
        assertArrayEquals(new byte[] {0, 64, (byte) 191, (byte) 255},
            ImageSetBuilder.resize(new byte[] {0, (byte) 255}, 1, 1, 2, 1, 4));
        // 4x4 -> 2x2 samples the centres of 2x2 blocks (no antialiasing: their means here).
        byte[] px = new byte[16];
        for (int i = 0; i < 16; i++) {
            px[i] = (byte) (i * 10);
        }
        assertArrayEquals(new byte[] {25, 45, 105, 125}, ImageSetBuilder.resize(px, 1, 4, 4, 2, 2));
        // Channels are resized independently; same size is the identity.
        DecodedImage d = image(3, 5, 7, 6);
        assertArrayEquals(d.pixels(), ImageSetBuilder.resize(d.pixels(), 3, 5, 7, 5, 7));
        byte[] r = ImageSetBuilder.resize(d.pixels(), 3, 5, 7, 3, 4);
        for (int c = 0; c < 3; c++) {
            byte[] plane = java.util.Arrays.copyOfRange(d.pixels(), c * 35, (c + 1) * 35);
            assertArrayEquals(ImageSetBuilder.resize(plane, 1, 5, 7, 3, 4), java.util.Arrays.copyOfRange(r, c * 12, (c + 1) * 12));
        }
    }

    @Test
    void resizeAgreesWithThePreprocessorsResampling() {
        // Same TF arithmetic as Preprocessor's resize, up to the rounding to uint8.
        DecodedImage d = image(1, 10, 13, 7);
        byte[] small = ImageSetBuilder.resize(d.pixels(), 1, 10, 13, 7, 7);
        float[] pre = new float[49];
        new Preprocessor().fill(new ImageSet("s", 1, 10, 13, d.pixels(), new int[] {0}, 2), 0, DataHparams.none(7),
            false, 1, null, pre, 0);
        for (int i = 0; i < 49; i++) {
            assertEquals(pre[i], (small[i] & 0xff) / 127.5f - 1f, 0.5f / 127.5f + 1e-5f, "pixel " + i);
        }
    }

    @Test
    void buildTilesGrayAndResizesToTheGivenSize() {
        DecodedImage gray = image(1, 2, 3, 8);
        DecodedImage colour = image(3, 2, 3, 9);
        DecodedImage other = image(1, 4, 6, 10);
        ImageSet s = ImageSetBuilder.build("t/train", List.of(gray, colour, other), new int[] {0, 1, 1}, 2, 3,
            new ImageSetBuilder.Size(2, 3));
        assertEquals(3, s.channels());
        assertEquals(2, s.height());
        assertEquals(3, s.width());
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(gray.pixels(), java.util.Arrays.copyOfRange(s.pixels(), c * 6, c * 6 + 6));
        }
        assertArrayEquals(colour.pixels(), java.util.Arrays.copyOfRange(s.pixels(), 18, 36));
        byte[] resized = ImageSetBuilder.resize(other.pixels(), 1, 4, 6, 2, 3);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(resized, java.util.Arrays.copyOfRange(s.pixels(), 36 + c * 6, 36 + c * 6 + 6));
        }
        // The split-only overload takes the split's own modal size.
        assertEquals(4, ImageSetBuilder.build("t", List.of(other, other, gray), new int[3], 2, 1).height());
        assertThrows(DatasetException.class, () -> ImageSetBuilder.build("t", List.of(colour), new int[1], 2, 1,
            new ImageSetBuilder.Size(2, 3)));
        assertThrows(DatasetException.class, () -> ImageSetBuilder.build("t", List.of(gray), new int[2], 2, 1,
            new ImageSetBuilder.Size(2, 3)));
    }
}
