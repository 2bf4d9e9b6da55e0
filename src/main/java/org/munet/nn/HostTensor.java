package org.munet.nn;

import java.util.Arrays;

/**
 * A tensor held in Java memory: the form in which component parameters and momentum traces leave
 * the native engine (to be written to the state store, compared in tests or sent elsewhere).
 *
 * @param shape dimensions, row-major
 * @param values float32 values; float32 like the engine keeps them
 */
public record HostTensor(long[] shape, float[] values) {

    public HostTensor {
        long expected = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (expected != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds "
                    + expected + " values, got " + values.length);
        }
    }

    public long size() {
        return values.length;
    }

    /** Bitwise equality, which is what "frozen" and "round trip" promise. */
    public boolean bitwiseEquals(HostTensor other) {
        if (!Arrays.equals(shape, other.shape) || values.length != other.values.length) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (Float.floatToRawIntBits(values[i]) != Float.floatToRawIntBits(other.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor t && bitwiseEquals(t);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "HostTensor" + Arrays.toString(shape);
    }
}
