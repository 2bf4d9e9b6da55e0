package org.munet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    /** Encodes with the JDK's writer for the format; fails if it has none for this image. */
    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no " + format + " writer for " + image);
        return out.toByteArray();
    }

    /** A w x h gray image of seeded random values. */
    static BufferedImage gray(int w, int h, long seed) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.getRaster().setSample(x, y, 0, rng.nextInt(256));
            }
        }
        return image;
    }

    /** A w x h colour image of seeded random values, of the given type (RGB or ARGB). */
    static BufferedImage colour(int w, int h, long seed, int type) {
        BufferedImage image = new BufferedImage(w, h, type);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rng.nextInt());
            }
        }
        return image;
    }

    /** The gray image's samples, row-major. */
    static byte[] grayPixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (byte) image.getRaster().getSample(x, y, 0);
            }
        }
        return out;
    }

    /** The image's RGB, C-H-W, from getRGB (alpha ignored). */
    static byte[] rgbPixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        byte[] out = new byte[3 * plane];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                out[y * w + x] = (byte) (argb >> 16);
                out[plane + y * w + x] = (byte) (argb >> 8);
                out[2 * plane + y * w + x] = (byte) argb;
            }
        }
        return out;
    }

    @Test
    void grayPngAndBmpAreExact() throws IOException {
        BufferedImage image = gray(13, 7, 1);
        for (String format : new String[] {"png", "bmp", "gif"}) {
            DecodedImage d = ImageDecoder.decode(encode(image, format), "x." + format);
            assertEquals(1, d.channels(), format);
            assertEquals(7, d.height(), format);
            assertEquals(13, d.width(), format);
            assertArrayEquals(grayPixels(image), d.pixels(), format);
        }
    }

    @Test
    void colourPngAndBmpAreExactChannelRowColumn() throws IOException {
        BufferedImage image = colour(9, 5, 2, BufferedImage.TYPE_INT_RGB);
        for (String format : new String[] {"png", "bmp"}) {
            DecodedImage d = ImageDecoder.decode(encode(image, format), "x." + format);
            assertEquals(3, d.channels(), format);
            assertArrayEquals(rgbPixels(image), d.pixels(), format);
        }
        // One pixel checked by hand, so that a consistent swap of channels in both helpers shows.
        BufferedImage one = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        one.setRGB(1, 0, 0x102030);
        DecodedImage d = ImageDecoder.decode(encode(one, "png"), "one.png");
        assertArrayEquals(new byte[] {0, 0x10, 0, 0x20, 0, 0x30}, d.pixels());
    }

    @Test
    void rgbaKeepsTheStoredColoursAndDropsAlpha() throws IOException {
        BufferedImage image = colour(8, 6, 3, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x00ff8040); // fully transparent: its colour is kept, not blackened
        DecodedImage d = ImageDecoder.decode(encode(image, "png"), "rgba.png");
        assertEquals(3, d.channels());
        assertArrayEquals(rgbPixels(image), d.pixels());
        assertEquals((byte) 0xff, d.pixels()[0]);
        assertEquals((byte) 0x80, d.pixels()[48]);
    }

    @Test
    void grayWithAlphaStaysGray() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
            Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(5, 4);
        byte[] expected = new byte[20];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 20; i++) {
            expected[i] = (byte) rng.nextInt(256);
            raster.setSample(i % 5, i / 5, 0, expected[i] & 0xff);
            raster.setSample(i % 5, i / 5, 1, rng.nextInt(256));
        }
        BufferedImage image = new BufferedImage(cm, raster, false, null);
        DecodedImage d = ImageDecoder.decode(encode(image, "png"), "ga.png");
        assertEquals(1, d.channels());
        assertArrayEquals(expected, d.pixels());
    }

    @Test
    void sixteenBitPngsScaleToEightBitsRounding() throws IOException {
        BufferedImage g16 = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] values = {0, 65535, 257 * 100 + 128, 257 * 100 + 129};
        for (int x = 0; x < 4; x++) {
            g16.getRaster().setSample(x, 0, 0, values[x]);
        }
        DecodedImage d = ImageDecoder.decode(encode(g16, "png"), "g16.png");
        assertEquals(1, d.channels());
        // round(v * 255 / 65535): 25828 -> 100.498 -> 100, 25829 -> 100.502 -> 101.
        assertArrayEquals(new byte[] {0, (byte) 255, 100, 101}, d.pixels());

        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
            Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {65535, 257 * 7, 0});
        DecodedImage rgb = ImageDecoder.decode(encode(new BufferedImage(cm, raster, false, null), "png"), "rgb16.png");
        assertArrayEquals(new byte[] {(byte) 255, 7, 0}, rgb.pixels());
    }

    @Test
    void palettesExpandAndGrayPalettesStayGray() throws IOException {
        byte[] r = {0, (byte) 200, 10};
        byte[] g = {0, 100, 20};
        byte[] b = {0, 50, 30};
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED,
            new IndexColorModel(8, 3, r, g, b));
        for (int x = 0; x < 3; x++) {
            indexed.getRaster().setSample(x, 0, 0, 2 - x);
        }
        for (String format : new String[] {"gif", "png"}) {
            DecodedImage d = ImageDecoder.decode(encode(indexed, format), "p." + format);
            assertEquals(3, d.channels(), format);
            assertArrayEquals(new byte[] {10, (byte) 200, 0, 20, 100, 0, 30, 50, 0}, d.pixels(), format);
        }
        // A 1-bit PNG is a two-entry gray palette: 0 and 255, one channel.
        BufferedImage binary = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY);
        binary.getRaster().setSample(1, 0, 0, 1);
        DecodedImage d = ImageDecoder.decode(encode(binary, "png"), "bin.png");
        assertEquals(1, d.channels());
        assertArrayEquals(new byte[] {0, (byte) 255, 0}, d.pixels());
    }

    @Test
    void interlacedGifsOfFewRowsAreExact() throws IOException {
        for (int h = 1; h <= 9; h++) {
            BufferedImage image = gray(6, h, h);
            byte[] gif = encode(image, "gif"); // the JDK's writer interlaces by default
            assertEquals(h >= 2 && h <= 4, ImageDecoder.gifShortInterlaced(gif) >= 0, "height " + h);
            DecodedImage d = ImageDecoder.decode(gif, "i.gif");
            assertArrayEquals(grayPixels(image), d.pixels(), "height " + h);
        }
        BufferedImage rgb = colour(5, 3, 9, BufferedImage.TYPE_INT_RGB);
        assertArrayEquals(rgbPixels(rgb), ImageDecoder.decode(encode(rgb, "gif"), "c.gif").pixels());
    }

    @Test
    void jpegsDecodeCloseToTheirSource() throws IOException {
        // Smooth content, so that JPEG's loss is small and a wrong channel order is not.
        BufferedImage image = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, (x * 8) << 16 | (y * 16) << 8 | 0x40);
            }
        }
        DecodedImage d = ImageDecoder.decode(encode(image, "jpeg"), "c.jpg");
        assertEquals(3, d.channels());
        assertTrue(meanAbsDiff(rgbPixels(image), d.pixels()) < 3, "mean error " + meanAbsDiff(rgbPixels(image), d.pixels()));
        // Progressive: the same pixels as baseline (the same quantised coefficients).
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream progressive = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(progressive)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        assertArrayEquals(d.pixels(), ImageDecoder.decode(progressive.toByteArray(), "p.jpg").pixels());
        BufferedImage g = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 256; i++) {
            g.getRaster().setSample(i % 16, i / 16, 0, i);
        }
        DecodedImage dg = ImageDecoder.decode(encode(g, "jpeg"), "g.jpg");
        assertEquals(1, dg.channels());
        assertTrue(meanAbsDiff(grayPixels(g), dg.pixels()) < 3);
    }

    private static double meanAbsDiff(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return sum / (double) a.length;
    }

    @Test
    void truncatedJpegFailsThoughImageIoReturnsAnImage() throws IOException {
        byte[] jpeg = encode(colour(64, 64, 5, BufferedImage.TYPE_INT_RGB), "jpeg");
        for (double fraction : new double[] {0.9, 0.5}) {
            byte[] cut = Arrays.copyOf(jpeg, (int) (jpeg.length * fraction));
            // Why the decoder watches warnings: plain ImageIO hands back a "complete" image.
            assertNotNull(ImageIO.read(new ByteArrayInputStream(cut)));
            DatasetException e = assertThrows(DatasetException.class, () -> ImageDecoder.decode(cut, "cut.jpg"));
            assertTrue(e.getMessage().startsWith("cut.jpg: corrupt or truncated image"), e.getMessage());
        }
        // Only the end marker missing: every pixel is there, so it decodes.
        byte[] noEoi = Arrays.copyOf(jpeg, jpeg.length - 2);
        assertArrayEquals(ImageDecoder.decode(jpeg, "a").pixels(), ImageDecoder.decode(noEoi, "b").pixels());
    }

    @Test
    void truncatedPngGifAndBmpFail() throws IOException {
        BufferedImage image = colour(40, 30, 6, BufferedImage.TYPE_INT_RGB);
        for (String format : new String[] {"png", "gif", "bmp"}) {
            byte[] bytes = encode(image, format);
            byte[] cut = Arrays.copyOf(bytes, bytes.length * 3 / 4);
            DatasetException e = assertThrows(DatasetException.class,
                () -> ImageDecoder.decode(cut, "cut." + format), format);
            assertTrue(e.getMessage().contains("cut." + format + ": corrupt or truncated"), e.getMessage());
        }
    }

    @Test
    void notAnImageAndEmptyFilesNameTheFile() {
        DatasetException text = assertThrows(DatasetException.class,
            () -> ImageDecoder.decode("hello, not an image".getBytes(), "hdfs://nn/pets/train/cat/a.png"));
        assertTrue(text.getMessage().startsWith("hdfs://nn/pets/train/cat/a.png: not an image"), text.getMessage());
        assertTrue(text.getMessage().contains("0x68 0x65 0x6c 0x6c"), text.getMessage());
        DatasetException empty = assertThrows(DatasetException.class, () -> ImageDecoder.decode(new byte[0], "e.jpg"));
        assertTrue(empty.getMessage().startsWith("e.jpg: empty file"), empty.getMessage());
    }

    @Test
    void damageWarningsAreTellingApartBenignOnes() {
        assertTrue(ImageDecoder.isDamage("Corrupt JPEG data: premature end of data segment"));
        assertTrue(ImageDecoder.isDamage("Corrupt JPEG data: bad Huffman code"));
        assertTrue(ImageDecoder.isDamage("Premature end of JPEG file"));
        assertFalse(ImageDecoder.isDamage("Corrupt JPEG data: 12 extraneous bytes before marker 0xd9"));
        assertFalse(ImageDecoder.isDamage("Truncated File - Missing EOI marker"));
    }

    /**
     * A CMYK JPEG as Photoshop writes it: Adobe APP14 marker, inverted samples, transform 0
     * (CMYK) or 2 (YCCK). The JDK's JPEG writer stores a 4-band raster as given; the marker is
     * spliced in after SOI.
     */
    static byte[] adobeCmykJpeg(int transform, int[] cmyk, int w, int h) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        int[] stored = new int[4];
        if (transform == 2) {
            // libjpeg's cmyk_ycck_convert: Y/Cb/Cr of (255 - inverted C, M, Y) = the ink values; K inverted.
            double r = cmyk[0];
            double g = cmyk[1];
            double b = cmyk[2];
            stored[0] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
            stored[1] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
            stored[2] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
        } else {
            for (int i = 0; i < 3; i++) {
                stored[i] = 255 - cmyk[i];
            }
        }
        stored[3] = 255 - cmyk[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, stored);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(new IIOImage(raster, null, null));
        } finally {
            writer.dispose();
        }
        byte[] raw = out.toByteArray();
        byte[] app14 = {(byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        byte[] jpeg = new byte[raw.length + app14.length];
        System.arraycopy(raw, 0, jpeg, 0, 2);
        System.arraycopy(app14, 0, jpeg, 2, app14.length);
        System.arraycopy(raw, 2, jpeg, 2 + app14.length, raw.length - 2);
        return jpeg;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /**
     * Photoshop's CMYK and YCCK JPEGs decode with the JDK alone (so no extra JPEG plugin is
     * needed), to the naive conversion R = (255-C)(255-K)/255 that TensorFlow and Pillow apply.
     */
    @Test
    void cmykAndYcckJpegsDecodeToNaiveRgb() throws IOException {
        int[] cmyk = {200, 30, 0, 40};
        int k = 255 - cmyk[3];
        int[] expected = {(255 - cmyk[0]) * k / 255, (255 - cmyk[1]) * k / 255, (255 - cmyk[2]) * k / 255};
        for (int transform : new int[] {0, 2}) {
            DecodedImage d = ImageDecoder.decode(adobeCmykJpeg(transform, cmyk, 16, 16), "cmyk.jpg");
            assertEquals(3, d.channels(), "transform " + transform);
            for (int c = 0; c < 3; c++) {
                int got = d.pixels()[c * 256 + 100] & 0xff;
                assertTrue(Math.abs(got - expected[c]) <= 3, "transform " + transform + " channel " + c + ": got "
                    + got + ", expected " + expected[c]);
            }
        }
    }
}
