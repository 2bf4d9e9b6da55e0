package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

    private final Preprocessor pre = new Preprocessor();

    private static float scaled(byte b) {
        return (b & 0xff) / 127.5f - 1f;
    }

    @Test
    void identityGeometryIsExactlyScaled() {
        ImageSet s = TestFiles.randomSet(3, 28, 28, 10, 5);
        // Crop off (or area_min 1) and imageSize == source: output must be x/127.5-1 exactly, in
        // both modes, with or without tiling.
        DataHparams noCrop = new DataHparams(28, true, 1.0, 0.75, false, 0, 0, 0, 0);
        for (DataHparams h : new DataHparams[] {DataHparams.none(28), noCrop}) {
            for (boolean training : new boolean[] {false, true}) {
                float[] out = new float[3 * 784 + 5];
                pre.fill(s, 2, h, training, 3, new SplittableRandom(1), out, 5);
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < 784; i++) {
                        assertEquals(scaled(s.pixels()[2 * 784 + i]), out[5 + c * 784 + i], "pixel " + i);
                    }
                }
            }
        }
    }

    @Test
    void bilinearResizeMatchesTfHalfPixelCentres() {
        ImageSet s = TestFiles.set("s", 1, 1, 2, 1, new byte[] {0, (byte) 255});
        float[] up = new float[4 * 4];
        DataHparams four = DataHparams.none(4);
        // 1x2 -> 4x4: columns sample x = -0.25, 0.25, 0.75, 1.25 (clamped): 0, 63.75, 191.25, 255.
        pre.fill(s, 0, four, false, 1, null, up, 0);
        float[] row = {0f / 127.5f - 1f, 63.75f / 127.5f - 1f, 191.25f / 127.5f - 1f, 1f};
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(row[c], up[r * 4 + c], 1e-6, "row " + r + " col " + c);
            }
        }
        // 4x4 -> 2x2 without antialiasing samples x = 0.5 and 2.5: means of column pairs.
        byte[] px = new byte[16];
        for (int i = 0; i < 16; i++) {
            px[i] = (byte) (i * 10);
        }
        float[] down = new float[4];
        pre.fill(TestFiles.set("d", 1, 4, 4, 1, px), 0, DataHparams.none(2), false, 1, null, down, 0);
        // Top-left output averages pixels (rows 0-1, cols 0-1): (0+10+40+50)/4 = 25.
        assertEquals(25f / 127.5f - 1f, down[0], 1e-6);
        // Bottom-right: rows 2-3, cols 2-3: (100+110+140+150)/4 = 125.
        assertEquals(125f / 127.5f - 1f, down[3], 1e-6);
    }

    @Test
    void cropBoxStaysInsideWithAreaAndAspectInRange() {
        SplittableRandom rng = new SplittableRandom(3);
        int[] box = new int[4];
        for (int k = 0; k < 2000; k++) {
            Preprocessor.sampleCrop(28, 28, 0.05, 0.75, rng, box);
            assertTrue(box[0] >= 0 && box[1] >= 0 && box[2] >= 1 && box[3] >= 1
                && box[0] + box[2] <= 28 && box[1] + box[3] <= 28, java.util.Arrays.toString(box));
        }
        // On a large image rounding is negligible, so the sampled distribution shows exactly.
        double minArea = 1;
        double maxArea = 0;
        for (int k = 0; k < 2000; k++) {
            Preprocessor.sampleCrop(1000, 1000, 0.3, 0.75, rng, box);
            assertTrue(box[0] + box[2] <= 1000 && box[1] + box[3] <= 1000);
            double area = box[2] * (double) box[3] / 1e6;
            double ar = box[3] / (double) box[2];
            if (box[2] == 1000 && box[3] == 1000) {
                continue; // fallback to the whole image is allowed
            }
            assertTrue(area >= 0.3 - 2e-3 && area <= 1 + 1e-9, "area " + area);
            assertTrue(ar >= 0.75 - 5e-3 && ar <= 1 / 0.75 + 5e-3, "aspect " + ar);
            minArea = Math.min(minArea, area);
            maxArea = Math.max(maxArea, area);
        }
        assertTrue(minArea < 0.35 && maxArea > 0.8, minArea + " .. " + maxArea);
    }

    @Test
    void trainingCropAndFlipAreRandomButSeeded() {
        ImageSet s = TestFiles.randomSet(1, 28, 28, 10, 9);
        DataHparams h = DataHparams.defaults(28);
        float[] a = new float[784];
        float[] b = new float[784];
        float[] plain = new float[784];
        pre.fill(s, 0, DataHparams.none(28), false, 1, null, plain, 0);
        pre.fill(s, 0, h, true, 1, new SplittableRandom(42), a, 0);
        pre.fill(s, 0, h, true, 1, new SplittableRandom(42), b, 0);
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, plain), "defaults augment in training");
        // Evaluation never augments, whatever the hparams.
        pre.fill(s, 0, h, false, 1, new SplittableRandom(42), a, 0);
        assertArrayEquals(plain, a);
    }

    @Test
    void flipMirrorsColumns() {
        ImageSet s = TestFiles.randomSet(1, 5, 7, 10, 2);
        DataHparams flip = new DataHparams(7, false, 1, 1, true, 0, 0, 0, 0);
        float[] plain = new float[49];
        pre.fill(s, 0, DataHparams.none(7), false, 1, null, plain, 0);
        boolean sawFlip = false;
        boolean sawPlain = false;
        SplittableRandom rng = new SplittableRandom(0);
        float[] out = new float[49];
        for (int k = 0; k < 40; k++) {
            pre.fill(s, 0, flip, true, 1, rng, out, 0);
            if (java.util.Arrays.equals(out, plain)) {
                sawPlain = true;
                continue;
            }
            sawFlip = true;
            for (int r = 0; r < 7; r++) {
                for (int c = 0; c < 7; c++) {
                    assertEquals(plain[r * 7 + c], out[r * 7 + 6 - c]);
                }
            }
        }
        assertTrue(sawFlip && sawPlain);
    }

    @Test
    void brightnessShiftsUniformlyContrastKeepsMeanAndOutputIsClipped() {
        byte[] px = new byte[16];
        for (int i = 0; i < 16; i++) {
            px[i] = (byte) (100 + i); // mid-grey, no clipping at small deltas
        }
        ImageSet s = TestFiles.set("s", 1, 4, 4, 1, px);
        float[] plain = new float[16];
        pre.fill(s, 0, DataHparams.none(4), false, 1, null, plain, 0);

        float[] out = new float[16];
        pre.fill(s, 0, new DataHparams(4, false, 1, 1, false, 0.2, 0, 0, 0), true, 1, new SplittableRandom(4), out, 0);
        float shift = out[0] - plain[0];
        assertTrue(shift != 0 && Math.abs(shift) <= 0.2f);
        for (int i = 0; i < 16; i++) {
            assertEquals(plain[i] + shift, out[i], 1e-5);
        }

        pre.fill(s, 0, new DataHparams(4, false, 1, 1, false, 0, 0.5, 0, 0), true, 1, new SplittableRandom(4), out, 0);
        double meanPlain = 0;
        double meanOut = 0;
        for (int i = 0; i < 16; i++) {
            meanPlain += plain[i] / 16;
            meanOut += out[i] / 16;
        }
        assertEquals(meanPlain, meanOut, 1e-5);
        float factor = (out[15] - out[0]) / (plain[15] - plain[0]);
        assertTrue(factor >= 0.5f && factor <= 1.5f && Math.abs(factor - 1) > 1e-4, "factor " + factor);

        for (int k = 0; k < 20; k++) {
            pre.fill(s, 0, new DataHparams(4, false, 1, 1, false, 5, 5, 0, 0), true, 1, new SplittableRandom(k), out, 0);
            for (float v : out) {
                assertTrue(v >= -1f && v <= 1f, "clipped: " + v);
            }
        }
    }

    @Test
    void saturationBlendsColourImagesWithTheirGreyAndLeavesGreyAlone() {
        // One 3-channel 2x2 image: channel planes R, G, B.
        byte[] px = {(byte) 160, 100, 90, (byte) 140, 120, (byte) 150, 80, 70, 100, 90, (byte) 130, 110}; // no clipping
        ImageSet rgb = new ImageSet("rgb", 3, 2, 2, px, new int[] {0}, 1);
        DataHparams sat = new DataHparams(2, false, 1, 1, false, 0, 0, 0.5, 0);
        float[] plain = new float[12];
        float[] out = new float[12];
        pre.fill(rgb, 0, DataHparams.none(2), false, 3, null, plain, 0);
        pre.fill(rgb, 0, sat, true, 3, new java.util.SplittableRandom(8), out, 0);
        assertTrue(!java.util.Arrays.equals(plain, out));
        for (int i = 0; i < 4; i++) {
            float greyBefore = 0.299f * plain[i] + 0.587f * plain[i + 4] + 0.114f * plain[i + 8];
            float greyAfter = 0.299f * out[i] + 0.587f * out[i + 4] + 0.114f * out[i + 8];
            assertEquals(greyBefore, greyAfter, 1e-4, "luma is preserved at pixel " + i);
        }
        byte[] grey = {50, 60, 70, 80, 50, 60, 70, 80, 50, 60, 70, 80};
        ImageSet g = new ImageSet("grey", 3, 2, 2, grey, new int[] {0}, 1);
        pre.fill(g, 0, DataHparams.none(2), false, 3, null, plain, 0);
        pre.fill(g, 0, sat, true, 3, new java.util.SplittableRandom(8), out, 0);
        assertArrayEquals(plain, out, 1e-6f);
    }

    @Test
    void rgbSourceForOneChannelGivesTheLumaOfThePreprocessedChannels() {
        byte[] px = new byte[3 * 6 * 6];
        new SplittableRandom(11).nextBytes(px);
        ImageSet rgb = new ImageSet("rgb", 3, 6, 6, px, new int[] {0}, 2);
        // Identity geometry: the luma of the scaled values, 0.299 R + 0.587 G + 0.114 B.
        float[] gray = new float[36];
        pre.fill(rgb, 0, new DataHparams(6, false, 1, 1, false, 0, 0, 0, 0), false, 1, null, gray, 0);
        for (int i = 0; i < 36; i++) {
            float expected = 0.299f * scaled(px[i]) + 0.587f * scaled(px[36 + i]) + 0.114f * scaled(px[72 + i]);
            assertEquals(expected, gray[i], 1e-6, "pixel " + i);
        }
        // Resized, cropped, flipped, colour-jittered: the luma of the 3-channel output for the same
        // random stream, written at the requested offset and nowhere else.
        DataHparams all = new DataHparams(4, true, 0.3, 0.75, true, 0.3, 0.4, 0.5, 0);
        for (long seed = 0; seed < 20; seed++) {
            float[] three = new float[48];
            pre.fill(rgb, 0, all, true, 3, new SplittableRandom(seed), three, 0);
            float[] one = new float[3 + 16 + 2];
            pre.fill(rgb, 0, all, true, 1, new SplittableRandom(seed), one, 3);
            for (int i = 0; i < 16; i++) {
                float luma = 0.299f * three[i] + 0.587f * three[16 + i] + 0.114f * three[32 + i];
                assertEquals(luma, one[3 + i], 1e-6, "seed " + seed + " pixel " + i);
                assertTrue(one[3 + i] >= -1f && one[3 + i] <= 1f);
            }
            assertEquals(0f, one[0]);
            assertEquals(0f, one[19]);
        }
        // From scaled values in [-1, 1], the luma of a pure colour stays inside: white is 1.
        byte[] white = new byte[12];
        java.util.Arrays.fill(white, (byte) 255);
        float[] w = new float[4];
        pre.fill(new ImageSet("w", 3, 2, 2, white, new int[] {0}, 2), 0, DataHparams.none(2), false, 1, null, w, 0);
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f}, w);
    }

    @Test
    void channelRequestsAreChecked() {
        ImageSet s = TestFiles.randomSet(1, 2, 2, 10, 1);
        assertThrows(DatasetException.class, () -> pre.fill(s, 0, DataHparams.none(2), false, 2, null, new float[8], 0));
        ImageSet rgb = new ImageSet("rgb", 3, 2, 2, new byte[12], new int[] {0}, 2);
        DatasetException e = assertThrows(DatasetException.class,
            () -> pre.fill(rgb, 0, DataHparams.none(2), false, 2, null, new float[8], 0));
        assertTrue(e.getMessage().contains("3 to 1 as ITU-R 601 luma"), e.getMessage());
        assertThrows(DatasetException.class, () -> new DataHparams(0, false, 1, 1, false, 0, 0, 0, 0));
        assertThrows(DatasetException.class, () -> new DataHparams(8, true, 0, 1, false, 0, 0, 0, 0));
    }
}
