package org.munet.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG, BMP and GIF bytes with the JDK's ImageIO into a {@link DecodedImage}: gray
 * images stay 1-channel, everything else becomes RGB. The format is recognised from the bytes, not
 * from a file name.
 *
 * <p>What is kept, to match the reference's decoders (TensorFlow's, on libpng and libjpeg), which
 * apply no colour management:
 * <ul>
 *   <li>the stored sample values, without any embedded ICC profile or gamma applied, and in
 *       stored orientation (an EXIF orientation tag is ignored);</li>
 *   <li>gray (1 channel): 8-bit gray, 1/2/4/16-bit gray (scaled to 8 bits, rounding to nearest),
 *       gray with alpha, and palette images whose palette is all gray (a gray GIF or a 1-bit PNG
 *       can only be stored that way);</li>
 *   <li>RGB (3 channels): RGB of any bit depth, RGBA, colour palettes (expanded), and CMYK/YCCK
 *       JPEGs (as written by Photoshop), converted naively as {@code R = (255-C)(255-K)/255},
 *       as TensorFlow's and Pillow's JPEG decoders do;</li>
 *   <li>alpha is dropped, not composited: the colour values as stored, as TensorFlow's
 *       {@code decode_png(channels=3)} strips alpha.</li>
 * </ul>
 *
 * <p>Damage is an error, never a silently partial image: ImageIO's JPEG reader returns a
 * truncated or corrupt JPEG as a complete image with the missing part gray and only a warning, so
 * the reader's warnings are watched and libjpeg's "corrupt data" and "premature end" warnings
 * fail the image (the benign "extraneous bytes before marker" and a missing end marker after
 * complete data do not). PNG, GIF and BMP readers throw on truncation themselves. Damage inside
 * data that carries no check (uncompressed BMP pixels, GIF LZW codes) cannot be detected.
 *
 * <p>Works around a JDK bug: its GIF reader misplaces the rows of interlaced GIFs 2 to 4 rows high
 * (still in JDK 25); those are decoded in stream order and put in place here.
 *
 * <p>Thread-safe: every call uses its own reader instance.
 */
public final class ImageDecoder {

    /** The largest image accepted, in pixels: three bytes per pixel must fit in one Java array. */
    static final long MAX_PIXELS = (Integer.MAX_VALUE - 8) / 3;

    private ImageDecoder() {}

    /**
     * @param encoded the file's bytes
     * @param source the file or row, for the message
     * @throws DatasetException if the bytes are not a complete image of a supported format
     */
    public static DecodedImage decode(byte[] encoded, String source) {
        int interlace = gifShortInterlaced(encoded);
        if (interlace >= 0) {
            // The JDK's GIF reader misplaces rows of interlaced images 2 to 4 rows high (after a
            // pass that has no rows it does not skip to the next): decode the rows in stream
            // order, with the flag cleared in a copy, and put them in place here.
            byte[] copy = encoded.clone();
            copy[interlace] &= ~0x40;
            return deinterlace(read(copy, source));
        }
        return read(encoded, source);
    }

    private static DecodedImage read(byte[] encoded, String source) {
        if (encoded.length == 0) {
            throw new DatasetException(source + ": empty file (0 bytes), not an image; replace or delete it");
        }
        BufferedImage image;
        List<String> damage = new ArrayList<>(1);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DatasetException(source + ": not an image ImageIO can decode (expected PNG, JPEG, BMP"
                    + " or GIF; the file starts with " + magic(encoded) + "); replace or delete it");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((r, warning) -> {
                    if (isDamage(warning)) {
                        damage.add(warning);
                    }
                });
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new DatasetException(source + ": " + reader.getWidth(0) + "x" + reader.getHeight(0)
                        + " image is too large (at most " + MAX_PIXELS + " pixels); shrink it");
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DatasetException de) {
                throw de;
            }
            throw new DatasetException(source + ": corrupt or truncated image (" + e + "); replace or delete it", e);
        }
        if (!damage.isEmpty()) {
            throw new DatasetException(source + ": corrupt or truncated image (" + String.join("; ", damage)
                + "); replace or delete it");
        }
        return fromImage(image);
    }

    /**
     * The offset of the first image descriptor's flags when the bytes are a GIF whose first image
     * is interlaced and 2 to 4 rows high, else -1.
     */
    static int gifShortInterlaced(byte[] b) {
        if (b.length < 13 || b[0] != 'G' || b[1] != 'I' || b[2] != 'F' || b[3] != '8') {
            return -1;
        }
        int pos = 13 + ((b[10] & 0x80) != 0 ? 3 << ((b[10] & 7) + 1) : 0);
        while (pos < b.length) {
            int block = b[pos] & 0xff;
            if (block == 0x21) { // extension: label, then sub-blocks up to an empty one
                pos += 2;
                while (pos < b.length) {
                    int size = b[pos] & 0xff;
                    pos += 1 + size;
                    if (size == 0) {
                        break;
                    }
                }
            } else if (block == 0x2c && pos + 9 < b.length) { // image descriptor
                int height = (b[pos + 7] & 0xff) | (b[pos + 8] & 0xff) << 8;
                boolean interlaced = (b[pos + 9] & 0x40) != 0;
                return interlaced && height >= 2 && height <= 4 ? pos + 9 : -1;
            } else {
                return -1;
            }
        }
        return -1;
    }

    /** Rows in GIF interlaced stream order (passes from rows 0, 4, 2, 1) moved to their place. */
    static DecodedImage deinterlace(DecodedImage d) {
        int h = d.height();
        int w = d.width();
        int[] rows = new int[h];
        int k = 0;
        int[][] passes = {{0, 8}, {4, 8}, {2, 4}, {1, 2}};
        for (int[] pass : passes) {
            for (int y = pass[0]; y < h; y += pass[1]) {
                rows[k++] = y;
            }
        }
        byte[] in = d.pixels();
        byte[] out = new byte[in.length];
        for (int c = 0; c < d.channels(); c++) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(in, (c * h + r) * w, out, (c * h + rows[r]) * w, w);
            }
        }
        return new DecodedImage(d.channels(), h, w, out);
    }

    /**
     * Whether a reader warning means pixels are missing or wrong: libjpeg's {@code JWRN_*}
     * messages for lost or garbled entropy data and for an early end of file.
     */
    static boolean isDamage(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end of jpeg file")
            || (w.startsWith("corrupt jpeg data") && !w.contains("extraneous bytes"));
    }

    private static String magic(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(4, b.length); i++) {
            s.append(i == 0 ? "" : " ").append(String.format("0x%02x", b[i] & 0xff));
        }
        return s.toString();
    }

    /** Converts a decoded image to 1 (gray) or 3 (RGB) channels, C-H-W (see the class comment). */
    static DecodedImage fromImage(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (cm instanceof IndexColorModel icm) {
            return fromPalette(icm, raster, h, w);
        }
        ColorSpace cs = cm.getColorSpace();
        int comps = cm.getNumColorComponents();
        int type = raster.getDataBuffer().getDataType();
        boolean integral = type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT
            || type == DataBuffer.TYPE_INT;
        boolean plain = integral && !cm.isAlphaPremultiplied();
        for (int bits : raster.getSampleModel().getSampleSize()) {
            plain &= bits <= 16;
        }
        if (plain && comps == 1 && cs.getType() == ColorSpace.TYPE_GRAY) {
            // Raster samples, not getRGB(): getRGB applies a colour-space conversion to gray.
            byte[] out = new byte[plane];
            band(raster, 0, out, 0);
            return new DecodedImage(1, h, w, out);
        }
        if (plain && comps == 3 && cs.getType() == ColorSpace.TYPE_RGB) {
            byte[] out = new byte[3 * plane];
            for (int b = 0; b < 3; b++) {
                band(raster, b, out, b * plane);
            }
            return new DecodedImage(3, h, w, out);
        }
        if (plain && comps == 4 && cs.getType() == ColorSpace.TYPE_CMYK) {
            byte[] cmyk = new byte[4 * plane];
            for (int b = 0; b < 4; b++) {
                band(raster, b, cmyk, b * plane);
            }
            byte[] out = new byte[3 * plane];
            for (int i = 0; i < plane; i++) {
                int k = 255 - (cmyk[3 * plane + i] & 0xff);
                for (int b = 0; b < 3; b++) {
                    out[b * plane + i] = (byte) (((255 - (cmyk[b * plane + i] & 0xff)) * k + 127) / 255);
                }
            }
            return new DecodedImage(3, h, w, out);
        }
        // Anything else (another colour space, float samples, premultiplied alpha): let Java2D
        // convert to sRGB.
        byte[] out = new byte[3 * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int i = y * w + x;
                out[i] = (byte) (argb >> 16);
                out[plane + i] = (byte) (argb >> 8);
                out[2 * plane + i] = (byte) argb;
            }
        }
        return new DecodedImage(3, h, w, out);
    }

    /** A palette image: gray when every palette entry is gray, else RGB; alpha dropped. */
    private static DecodedImage fromPalette(IndexColorModel icm, Raster raster, int h, int w) {
        int size = icm.getMapSize();
        byte[] r = new byte[size];
        byte[] g = new byte[size];
        byte[] b = new byte[size];
        icm.getReds(r);
        icm.getGreens(g);
        icm.getBlues(b);
        boolean gray = true;
        for (int i = 0; i < size && gray; i++) {
            gray = r[i] == g[i] && g[i] == b[i];
        }
        int plane = h * w;
        int channels = gray ? 1 : 3;
        byte[] out = new byte[channels * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                // An index past the palette (a damaged file) shows as its last entry.
                int index = Math.min(row[x], size - 1);
                int i = y * w + x;
                out[i] = r[index];
                if (!gray) {
                    out[plane + i] = g[index];
                    out[2 * plane + i] = b[index];
                }
            }
        }
        return new DecodedImage(channels, h, w, out);
    }

    /**
     * Copies band {@code b} of the raster into {@code out[offset ...]} as 8-bit values (other bit
     * depths scaled, rounding to nearest); straight from the bytes for the common byte rasters.
     */
    private static void band(Raster raster, int b, byte[] out, int offset) {
        int h = raster.getHeight();
        int w = raster.getWidth();
        int bits = raster.getSampleModel().getSampleSize(b);
        if (bits == 8 && raster.getSampleModel() instanceof ComponentSampleModel sm
                && raster.getDataBuffer() instanceof DataBufferByte db
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
            byte[] data = db.getData(sm.getBankIndices()[b]);
            int base = db.getOffsets()[sm.getBankIndices()[b]] + sm.getBandOffsets()[b];
            int pixelStride = sm.getPixelStride();
            int scanline = sm.getScanlineStride();
            for (int y = 0; y < h; y++) {
                int src = base + y * scanline;
                int dst = offset + y * w;
                if (pixelStride == 1) {
                    System.arraycopy(data, src, out, dst, w);
                } else {
                    for (int x = 0; x < w; x++) {
                        out[dst + x] = data[src + x * pixelStride];
                    }
                }
            }
            return;
        }
        long max = (1L << bits) - 1;
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, b, row);
            int dst = offset + y * w;
            for (int x = 0; x < w; x++) {
                out[dst + x] = (byte) (bits == 8 ? row[x] : (row[x] * 255L * 2 + max) / (2 * max));
            }
        }
    }
}
