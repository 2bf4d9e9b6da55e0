package org.munet.nn;

/** 16-bit floats as checkpoints store them, widened exactly to float32 (every value is representable). */
public final class HalfFloats {

    private HalfFloats() {}

    /** IEEE 754 binary16 (numpy float16, safetensors F16); Java 17 has no Float.float16ToFloat. */
    public static float fromFloat16(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float32
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** bfloat16: the upper half of a float32. */
    public static float fromBfloat16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
