package org.munet.data;

/**
 * One decoded image, as stored in an {@link ImageSet}: 1 (gray) or 3 (RGB) channels of unsigned
 * bytes in channel-row-column order. An alpha channel is dropped at decoding: the model has no use
 * for it, and the reference's pipeline drops it too (it decodes to 3 channels).
 *
 * @param channels 1 or 3
 * @param height rows
 * @param width columns
 * @param pixels {@code channels*height*width} bytes, C-H-W
 */
public record DecodedImage(int channels, int height, int width, byte[] pixels) {

    public DecodedImage {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (height <= 0 || width <= 0 || pixels.length != channels * height * width) {
            throw new IllegalArgumentException(channels + "x" + height + "x" + width + " image with "
                    + pixels.length + " bytes");
        }
    }
}
