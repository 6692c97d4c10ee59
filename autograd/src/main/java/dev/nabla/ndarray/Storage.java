package dev.nabla.ndarray;

/**
 * Element access and conversion for the backing arrays of every dtype (see {@link DType} for
 * which Java array holds which dtype). The float64 and float32 hot paths do not come here; this is
 * the generic, exact path of the integer, bool and half dtypes, and of conversions between any two
 * dtypes with PyTorch's rules: float to integer truncates toward zero (NaN gives 0; beyond the
 * int64 range saturates, then narrower integers keep the low bits, as two's complement wraps);
 * integer to narrower integer wraps; anything to bool is {@code != 0} (NaN is true); bool is 0 or 1;
 * int64 to float32 rounds once; anything to float16 or bfloat16 goes through float32 (PyTorch's
 * {@code c10::Half(float)}), then rounds to nearest even.
 * Stateless and thread-safe.
 */
final class Storage {
    private Storage() {}

    /** A zeroed backing array of {@code n} elements of {@code t}. */
    static Object alloc(DType t, int n) {
        switch (t) {
            case FLOAT64: return new double[n];
            case FLOAT32: return new float[n];
            case INT64: return new long[n];
            case INT32: return new int[n];
            case INT16: case FLOAT16: case BFLOAT16: return new short[n];
            case INT8: case UINT8: return new byte[n];
            default: return new boolean[n];
        }
    }

    /** Number of elements of a backing array. */
    static int length(Object s) {
        if (s instanceof double[]) {
            return ((double[]) s).length;
        }
        if (s instanceof float[]) {
            return ((float[]) s).length;
        }
        if (s instanceof long[]) {
            return ((long[]) s).length;
        }
        if (s instanceof int[]) {
            return ((int[]) s).length;
        }
        if (s instanceof short[]) {
            return ((short[]) s).length;
        }
        if (s instanceof byte[]) {
            return ((byte[]) s).length;
        }
        return ((boolean[]) s).length;
    }

    /** A copy of a backing array. */
    static Object copy(Object s) {
        if (s instanceof double[]) {
            return ((double[]) s).clone();
        }
        if (s instanceof float[]) {
            return ((float[]) s).clone();
        }
        if (s instanceof long[]) {
            return ((long[]) s).clone();
        }
        if (s instanceof int[]) {
            return ((int[]) s).clone();
        }
        if (s instanceof short[]) {
            return ((short[]) s).clone();
        }
        if (s instanceof byte[]) {
            return ((byte[]) s).clone();
        }
        return ((boolean[]) s).clone();
    }

    /** Element {@code i} as a double (exact for every dtype but int64 beyond 2^53, which rounds). */
    static double getDouble(DType t, Object s, int i) {
        switch (t) {
            case FLOAT64: return ((double[]) s)[i];
            case FLOAT32: return ((float[]) s)[i];
            case FLOAT16: return HalfFloats.float16BitsToFloat(((short[]) s)[i]);
            case BFLOAT16: return HalfFloats.bfloat16BitsToFloat(((short[]) s)[i]);
            case INT64: return ((long[]) s)[i];
            default: return getLong(t, s, i);
        }
    }

    /** Element {@code i} as a long: exact for integer and bool dtypes, truncated toward zero for floats. */
    static long getLong(DType t, Object s, int i) {
        switch (t) {
            case INT64: return ((long[]) s)[i];
            case INT32: return ((int[]) s)[i];
            case INT16: return ((short[]) s)[i];
            case INT8: return ((byte[]) s)[i];
            case UINT8: return ((byte[]) s)[i] & 0xff;
            case BOOL: return ((boolean[]) s)[i] ? 1 : 0;
            default: return (long) getDouble(t, s, i);
        }
    }

    /** Element {@code i} as a boolean ({@code != 0}; NaN is true). */
    static boolean getBool(DType t, Object s, int i) {
        if (t == DType.BOOL) {
            return ((boolean[]) s)[i];
        }
        if (t.isFloatingPoint()) {
            return getDouble(t, s, i) != 0;
        }
        return getLong(t, s, i) != 0;
    }

    /** Stores {@code v} at {@code i}, converted to {@code t} with the rules of the class comment. */
    static void setDouble(DType t, Object s, int i, double v) {
        switch (t) {
            case FLOAT64: ((double[]) s)[i] = v; break;
            case FLOAT32: ((float[]) s)[i] = (float) v; break;
            case FLOAT16: ((short[]) s)[i] = HalfFloats.toFloat16Bits((float) v); break;
            case BFLOAT16: ((short[]) s)[i] = HalfFloats.toBFloat16Bits((float) v); break;
            case BOOL: ((boolean[]) s)[i] = v != 0; break;
            default: setLong(t, s, i, (long) v);
        }
    }

    /** Stores {@code v} at {@code i}, converted to {@code t} (integers wrap to their width). */
    static void setLong(DType t, Object s, int i, long v) {
        switch (t) {
            case INT64: ((long[]) s)[i] = v; break;
            case INT32: ((int[]) s)[i] = (int) v; break;
            case INT16: ((short[]) s)[i] = (short) v; break;
            case INT8: case UINT8: ((byte[]) s)[i] = (byte) v; break;
            case BOOL: ((boolean[]) s)[i] = v != 0; break;
            case FLOAT64: ((double[]) s)[i] = v; break;
            default: setDouble(t, s, i, (float) v); // one rounding to float32 (then to half), as PyTorch
        }
    }

    /** The values of {@code s} (of dtype {@code from}) converted to {@code to}: a new backing array. */
    static Object convert(DType from, Object s, DType to) {
        int n = length(s);
        Object out = alloc(to, n);
        if (from == to) {
            System.arraycopy(s, 0, out, 0, n);
        } else if (to == DType.FLOAT64 && from == DType.FLOAT32) {
            float[] x = (float[]) s;
            double[] o = (double[]) out;
            for (int i = 0; i < n; i++) {
                o[i] = x[i];
            }
        } else if (to == DType.FLOAT32 && from == DType.FLOAT64) {
            double[] x = (double[]) s;
            float[] o = (float[]) out;
            for (int i = 0; i < n; i++) {
                o[i] = (float) x[i];
            }
        } else if (from.isFloatingPoint()) {
            for (int i = 0; i < n; i++) {
                setDouble(to, out, i, getDouble(from, s, i));
            }
        } else {
            for (int i = 0; i < n; i++) {
                setLong(to, out, i, getLong(from, s, i));
            }
        }
        return out;
    }

    /** The elements of {@code s} at {@code offsets}, in a new backing array of the same type. */
    static Object gather(Object s, int[] offsets) {
        int n = offsets.length;
        if (s instanceof double[]) {
            double[] x = (double[]) s;
            double[] o = new double[n];
            for (int i = 0; i < n; i++) {
                o[i] = x[offsets[i]];
            }
            return o;
        }
        if (s instanceof float[]) {
            float[] x = (float[]) s;
            float[] o = new float[n];
            for (int i = 0; i < n; i++) {
                o[i] = x[offsets[i]];
            }
            return o;
        }
        if (s instanceof long[]) {
            long[] x = (long[]) s;
            long[] o = new long[n];
            for (int i = 0; i < n; i++) {
                o[i] = x[offsets[i]];
            }
            return o;
        }
        if (s instanceof int[]) {
            int[] x = (int[]) s;
            int[] o = new int[n];
            for (int i = 0; i < n; i++) {
                o[i] = x[offsets[i]];
            }
            return o;
        }
        if (s instanceof short[]) {
            short[] x = (short[]) s;
            short[] o = new short[n];
            for (int i = 0; i < n; i++) {
                o[i] = x[offsets[i]];
            }
            return o;
        }
        if (s instanceof byte[]) {
            byte[] x = (byte[]) s;
            byte[] o = new byte[n];
            for (int i = 0; i < n; i++) {
                o[i] = x[offsets[i]];
            }
            return o;
        }
        boolean[] x = (boolean[]) s;
        boolean[] o = new boolean[n];
        for (int i = 0; i < n; i++) {
            o[i] = x[offsets[i]];
        }
        return o;
    }

    /** Flat source offsets of a strided read of {@code shape} from {@code offset} with {@code strides} (any, including 0). */
    static int[] stridedOffsets(int offset, int[] strides, int[] shape) {
        int size = Shapes.size(shape);
        int[] out = new int[size];
        int n = shape.length;
        if (size == 0) {
            return out;
        }
        if (n == 0) {
            out[0] = offset;
            return out;
        }
        int[] idx = new int[n];
        int o = offset;
        for (int i = 0; i < size; i++) {
            out[i] = o;
            for (int d = n - 1; d >= 0; d--) {
                idx[d]++;
                o += strides[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                o -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /** The values as longs (converted: exact for integer and bool dtypes). */
    static long[] toLongs(DType t, Object s) {
        if (t == DType.INT64) {
            return (long[]) s;
        }
        int n = length(s);
        long[] o = new long[n];
        for (int i = 0; i < n; i++) {
            o[i] = getLong(t, s, i);
        }
        return o;
    }

    /** The values as doubles. */
    static double[] toDoubles(DType t, Object s) {
        return t == DType.FLOAT64 ? (double[]) s : (double[]) convert(t, s, DType.FLOAT64);
    }

    /** Longs stored as {@code t} (wrapping to its width): a new backing array, or {@code v} itself for INT64. */
    static Object fromLongs(DType t, long[] v) {
        return t == DType.INT64 ? v : convert(DType.INT64, v, t);
    }
}
