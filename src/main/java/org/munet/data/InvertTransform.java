package org.munet.data;

/** {@code inverted}: replaces every pixel value v by 255 - v (negative image). */
public final class InvertTransform implements TaskTransform {

    @Override
    public ImageSet apply(ImageSet set) {
        byte[] src = set.pixels();
        byte[] dst = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = (byte) (255 - (src[i] & 0xff));
        }
        return set.withPixels(dst);
    }

    @Override
    public String token() {
        return "inverted";
    }
}
