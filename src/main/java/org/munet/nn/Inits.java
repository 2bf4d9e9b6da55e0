package org.munet.nn;

import java.util.SplittableRandom;

/**
 * Deterministic initial values computed in Java from a seed.
 *
 * <p>Why not DJL's initializers: {@code Engine.setRandomSeed} is global to the JVM, so candidates
 * initialised concurrently in one JVM would not be reproducible (platform-notes, trap 4). The
 * distributions are the reference's (flax defaults as used by vit_jax).
 */
final class Inits {

    /** stddev of a standard normal truncated to [-2, 2], used to rescale lecun_normal. */
    private static final double TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

    private Inits() {}

    /** flax lecun_normal: truncated normal with variance 1/fan_in. */
    static float[] lecunNormal(SplittableRandom rng, int size, int fanIn) {
        double stddev = Math.sqrt(1.0 / fanIn) / TRUNCATED_NORMAL_STDDEV;
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) (truncatedNormal(rng) * stddev);
        }
        return out;
    }

    /** Glorot/Xavier uniform over [-l, l] with l = sqrt(6 / (fan_in + fan_out)). */
    static float[] xavierUniform(SplittableRandom rng, int fanIn, int fanOut) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] out = new float[fanIn * fanOut];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
        return out;
    }

    static float[] normal(SplittableRandom rng, int size, double stddev) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) (gaussian(rng) * stddev);
        }
        return out;
    }

    static float[] constant(int size, float value) {
        float[] out = new float[size];
        java.util.Arrays.fill(out, value);
        return out;
    }

    /** A component's seed: the same for every new component of that name (spec §1.1, key 0). */
    static SplittableRandom forComponent(long baseSeed, String componentName) {
        return new SplittableRandom(baseSeed * 0x9E3779B97F4A7C15L ^ componentName.hashCode());
    }

    private static double truncatedNormal(SplittableRandom rng) {
        while (true) {
            double g = gaussian(rng);
            if (g >= -2 && g <= 2) {
                return g;
            }
        }
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
