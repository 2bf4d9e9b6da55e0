package org.munet.nn.checkpoint;

import org.munet.nn.HostTensor;

/**
 * Resizes a position embedding to another patch grid exactly as vit_jax does when it loads a
 * checkpoint at another image size ({@code checkpoint.resize_posemb}): the class token's row is kept
 * as it is, and the square grid of patch rows is zoomed with {@code scipy.ndimage.zoom(order=1)},
 * i.e. linear interpolation with the grid's corners aligned: output index o samples the input at
 * coordinate o * (in - 1) / (out - 1) along each axis (coordinate 0 when out == 1, so a one-row grid
 * is copied to every output row when in == 1).
 */
final class PositionResampler {

    private PositionResampler() {}

    /**
     * @param posemb (1, 1 + g*g, D), the class token's row first
     * @param grid the output grid side
     * @return (1, 1 + grid*grid, D)
     */
    static HostTensor resample(HostTensor posemb, int grid) {
        long[] s = posemb.shape();
        int width = (int) s[2];
        int in = (int) Math.round(Math.sqrt(s[1] - 1));
        if (in == grid) {
            return posemb;
        }
        float[] v = posemb.values();
        float[] out = new float[(1 + grid * grid) * width];
        System.arraycopy(v, 0, out, 0, width);
        double[] weights = new double[grid];
        int[] lower = new int[grid];
        for (int o = 0; o < grid; o++) {
            double x = grid == 1 ? 0 : o * (double) (in - 1) / (grid - 1);
            lower[o] = Math.min((int) Math.floor(x), Math.max(in - 2, 0));
            weights[o] = in == 1 ? 0 : x - lower[o];
        }
        for (int oy = 0; oy < grid; oy++) {
            int y0 = lower[oy];
            int y1 = Math.min(y0 + 1, in - 1);
            double wy = weights[oy];
            for (int ox = 0; ox < grid; ox++) {
                int x0 = lower[ox];
                int x1 = Math.min(x0 + 1, in - 1);
                double wx = weights[ox];
                int target = (1 + oy * grid + ox) * width;
                for (int d = 0; d < width; d++) {
                    double top = (1 - wx) * at(v, in, width, y0, x0, d) + wx * at(v, in, width, y0, x1, d);
                    double bottom = (1 - wx) * at(v, in, width, y1, x0, d) + wx * at(v, in, width, y1, x1, d);
                    out[target + d] = (float) ((1 - wy) * top + wy * bottom);
                }
            }
        }
        return new HostTensor(new long[] {1, 1 + (long) grid * grid, width}, out);
    }

    private static double at(float[] v, int in, int width, int y, int x, int d) {
        return v[(1 + y * in + x) * width + d];
    }
}
