package org.munet.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Decodes PNG, JPEG, BMP and GIF bytes with the JDK's ImageIO into a {@link DecodedImage}: gray
 * images stay 1-channel, everything else becomes RGB (alpha dropped, palettes expanded).
 */
public final class ImageDecoder {

    private ImageDecoder() {}

    /**
     * @param encoded the file's bytes
     * @param source the file or row, for the message
     * @throws DatasetException if the bytes are not a complete image of a supported format
     */
    public static DecodedImage decode(byte[] encoded, String source) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(source + ": corrupt or truncated image (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new DatasetException(source + ": not an image ImageIO can decode (PNG, JPEG, BMP or GIF)");
        }
        return fromImage(image);
    }

    /** Converts a decoded image to 1 (gray) or 3 (RGB) channels, C-H-W. */
    static DecodedImage fromImage(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        boolean gray = image.getType() == BufferedImage.TYPE_BYTE_GRAY
                || (image.getColorModel().getNumColorComponents() == 1
                    && image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY);
        if (gray) {
            byte[] out = new byte[plane];
            // getRaster() samples, not getRGB(): getRGB applies a colour-space conversion to gray.
            java.awt.image.Raster raster = image.getRaster();
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                int bits = raster.getSampleModel().getSampleSize(0);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) (bits == 8 ? row[x] : Math.round(row[x] * 255.0 / ((1 << bits) - 1)));
                }
            }
            return new DecodedImage(1, h, w, out);
        }
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
}
