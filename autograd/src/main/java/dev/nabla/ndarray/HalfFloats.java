package dev.nabla.ndarray;

/**
 * Bit-exact conversions between float32 and the two 16-bit float formats, as PyTorch's
 * {@code c10::Half} and {@code c10::BFloat16} do them: float32 to half rounds to nearest, ties to
 * even (subnormals included, overflow to infinity); half to float32 is exact. A NaN becomes
 * {@code 0x7E00} (sign kept) in float16 and {@code 0x7FC0} in bfloat16, as in PyTorch. A float64
 * value is first rounded to float32 (PyTorch converts {@code double} to half through
 * {@code float}), see {@link NDArray#astype}.
 * Stateless and thread-safe.
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** The float16 bits nearest to {@code f} (ties to even); 65520 and beyond overflow to infinity. */
    public static short toFloat16Bits(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int abs = x & 0x7fffffff;
        if (abs >= 0x7f800000) { // infinity or NaN
            return (short) (sign | (abs > 0x7f800000 ? 0x7e00 : 0x7c00));
        }
        if (abs >= 0x477ff000) { // 65520 = halfway between 65504 (the largest half) and 2^16: rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (abs < 0x38800000) { // below 2^-14: a half subnormal (unit 2^-24) or zero; rint rounds ties to even
            int m = (int) Math.rint(Float.intBitsToFloat(abs) * 16777216.0); // exact product; 1024 is the smallest normal
            return (short) (sign | m);
        }
        int h = ((abs >>> 23) - 112) << 10 | ((abs >>> 13) & 0x3ff); // rebias 127 -> 15
        int rest = abs & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) {
            h++; // a carry into the exponent is the right rounding
        }
        return (short) (sign | h);
    }

    /** The float32 value of float16 bits (exact; NaN payloads kept). */
    public static float float16BitsToFloat(short bits) {
        int b = bits & 0xffff;
        int sign = (b & 0x8000) << 16;
        int exp = (b >>> 10) & 0x1f;
        int mant = b & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** The bfloat16 bits nearest to {@code f} (ties to even; NaN gives 0x7FC0, as PyTorch's round_to_nearest_even). */
    public static short toBFloat16Bits(float f) {
        if (Float.isNaN(f)) {
            return (short) 0x7fc0;
        }
        int x = Float.floatToRawIntBits(f);
        return (short) ((x + ((x >>> 16) & 1) + 0x7fff) >>> 16);
    }

    /** The float32 value of bfloat16 bits (exact). */
    public static float bfloat16BitsToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
