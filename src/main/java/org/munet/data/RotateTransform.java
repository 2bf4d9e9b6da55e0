package org.munet.data;

/**
 * {@code rot90}, {@code rot180}, {@code rot270}: rotates every image clockwise by a multiple of
 * 90 degrees. Exact (no interpolation); a quarter turn swaps height and width.
 */
public final class RotateTransform implements TaskTransform {

    private final int quarterTurns;

    /** @param degrees clockwise angle: 90, 180 or 270 */
    public RotateTransform(int degrees) {
        if (degrees != 90 && degrees != 180 && degrees != 270) {
            throw new DatasetException("rot" + degrees + ": only rot90, rot180 and rot270 are supported");
        }
        this.quarterTurns = degrees / 90;
    }

    @Override
    public ImageSet apply(ImageSet set) {
        int c = set.channels();
        int h = set.height();
        int w = set.width();
        int outH = quarterTurns == 2 ? h : w;
        int outW = quarterTurns == 2 ? w : h;
        int plane = h * w;
        byte[] src = set.pixels();
        byte[] dst = new byte[src.length];
        int planes = set.size() * c;
        for (int p = 0; p < planes; p++) {
            int base = p * plane;
            for (int r = 0; r < outH; r++) {
                for (int col = 0; col < outW; col++) {
                    // Source pixel that lands on output (r, col) for a clockwise rotation.
                    int sr;
                    int sc;
                    switch (quarterTurns) {
                        case 1 -> { sr = h - 1 - col; sc = r; }
                        case 2 -> { sr = h - 1 - r; sc = w - 1 - col; }
                        default -> { sr = col; sc = w - 1 - r; }
                    }
                    dst[base + r * outW + col] = src[base + sr * w + sc];
                }
            }
        }
        return new ImageSet(set.name(), c, outH, outW, dst, set.labels(), set.numClasses());
    }

    @Override
    public String token() {
        return "rot" + quarterTurns * 90;
    }
}
