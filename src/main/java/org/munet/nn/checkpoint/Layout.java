package org.munet.nn.checkpoint;

import org.munet.nn.HostTensor;

/**
 * How a checkpoint tensor's layout becomes munet's: munet keeps every dense weight as PyTorch does,
 * (out, in), and the patch kernel as a Conv2d weight (D, C, P, P).
 */
enum Layout {
    /** Already munet's layout (timm, Hugging Face, flax LayerNorm and biases). */
    AS_IS,
    /** A flax Dense kernel (in, out) to (out, in). */
    TRANSPOSE,
    /** A flax Conv kernel (P, P, C, D), HWIO, to PyTorch's OIHW (D, C, P, P). */
    HWIO_TO_OIHW,
    /**
     * A flax DenseGeneral query/key/value kernel (D, heads, head_dim) to (heads * head_dim, D): the
     * output feature h * head_dim + j is head h's j-th, the order munet's attention splits heads in.
     */
    HEADS_OUT,
    /** A flax DenseGeneral bias (heads, head_dim) to (heads * head_dim). */
    FLATTEN,
    /** The attention output kernel (heads, head_dim, D) to (D, heads * head_dim). */
    HEADS_IN;

    HostTensor apply(HostTensor t) {
        long[] s = t.shape();
        return switch (this) {
            case AS_IS -> t;
            case TRANSPOSE -> transpose2d(t.values(), (int) s[0], (int) s[1]);
            case HWIO_TO_OIHW -> hwioToOihw(t);
            case HEADS_OUT -> transpose2d(t.values(), (int) s[0], (int) (s[1] * s[2]));
            case FLATTEN -> new HostTensor(new long[] {s[0] * s[1]}, t.values());
            case HEADS_IN -> transpose2d(t.values(), (int) (s[0] * s[1]), (int) s[2]);
        };
    }

    /** A row-major (rows, cols) matrix to (cols, rows). */
    private static HostTensor transpose2d(float[] v, int rows, int cols) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = v[r * cols + c];
            }
        }
        return new HostTensor(new long[] {cols, rows}, out);
    }

    private static HostTensor hwioToOihw(HostTensor t) {
        long[] s = t.shape();
        int h = (int) s[0];
        int w = (int) s[1];
        int in = (int) s[2];
        int out = (int) s[3];
        float[] v = t.values();
        float[] r = new float[v.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < in; c++) {
                    for (int d = 0; d < out; d++) {
                        r[((d * in + c) * h + y) * w + x] = v[((y * w + x) * in + c) * out + d];
                    }
                }
            }
        }
        return new HostTensor(new long[] {out, in, h, w}, r);
    }
}
