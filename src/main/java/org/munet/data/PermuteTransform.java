package org.munet.data;

import java.util.SplittableRandom;

/**
 * {@code permuted:SEED}: applies one fixed pixel permutation to every image (the "permuted
 * MNIST" family of tasks). The permutation is a Fisher-Yates shuffle driven by
 * {@code new SplittableRandom(SEED)}, so a seed names the same task in every JVM and run. It
 * moves spatial positions; all channels of a pixel move together.
 */
public final class PermuteTransform implements TaskTransform {

    private final long seed;

    /** @param seed the seed naming the permutation */
    public PermuteTransform(long seed) {
        this.seed = seed;
    }

    /**
     * @param n number of pixel positions (height*width)
     * @return {@code perm} such that output position {@code p} takes input position {@code perm[p]}
     */
    public int[] permutation(int n) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    @Override
    public ImageSet apply(ImageSet set) {
        int plane = set.height() * set.width();
        int[] perm = permutation(plane);
        byte[] src = set.pixels();
        byte[] dst = new byte[src.length];
        int planes = set.size() * set.channels();
        for (int p = 0; p < planes; p++) {
            int base = p * plane;
            for (int i = 0; i < plane; i++) {
                dst[base + i] = src[base + perm[i]];
            }
        }
        return set.withPixels(dst);
    }

    @Override
    public String token() {
        return "permuted:" + seed;
    }
}
