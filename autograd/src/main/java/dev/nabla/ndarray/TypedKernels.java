package dev.nabla.ndarray;

import java.util.Arrays;

/**
 * Kernels for the dtypes beyond float64 and float32, and the dtype-generic operations that return
 * bool or int64 (comparisons, logical operations, where, argmax). Each operation follows
 * {@link NDArray#resultType}: a float64 or float32 result goes to {@link Kernels} (and
 * {@link FloatKernels}) after conversion; a float16 or bfloat16 result is computed in float32 and
 * rounded back (as PyTorch's CPU kernels); an integer result is computed in 64-bit integers with
 * Java's wrap-around and narrowed to its width (PyTorch's integer overflow also wraps); true
 * division of integers gives float64, Nabla's default float (PyTorch: its default float, float32).
 * Plain loops, no per-element lambdas on the integer paths. Stateless and thread-safe.
 */
final class TypedKernels {
    private TypedKernels() {}

    static final int POW = 10;
    static final int MAX = 11;
    static final int MIN = 12;

    static final int EQ = 0;
    static final int NE = 1;
    static final int LT = 2;
    static final int LE = 3;
    static final int GT = 4;
    static final int GE = 5;

    // ---------------------------------------------------------------- arithmetic

    /** {@code a op b} with broadcasting for any dtypes ({@link Kernels#ADD} ... {@link Kernels#DIV}, {@link #POW}, {@link #MAX}, {@link #MIN}). */
    static NDArray binary(String name, int op, NDArray a, NDArray b) {
        DType t = NDArray.resultType(a, b);
        if (t == DType.FLOAT64 || t == DType.FLOAT32) {
            return floating(name, op, a.astype(t), b.astype(t));
        }
        if (t.isFloatingPoint()) {
            return floating(name, op, a.astype(DType.FLOAT32), b.astype(DType.FLOAT32)).astype(t);
        }
        if (op == Kernels.DIV) { // true division: the default float, float64 here
            return floating(name, op, a.astype(DType.FLOAT64), b.astype(DType.FLOAT64));
        }
        int[] s = Shapes.broadcast(name, a.shape, b.shape);
        if (t == DType.BOOL) {
            return boolBinary(name, op, a.broadcastTo(s), b.broadcastTo(s), s);
        }
        long[] x = Storage.toLongs(a.dtype(), a.broadcastTo(s).storage());
        long[] y = Storage.toLongs(b.dtype(), b.broadcastTo(s).storage());
        long[] r = new long[x.length];
        switch (op) {
            case Kernels.ADD: for (int i = 0; i < r.length; i++) { r[i] = x[i] + y[i]; } break;
            case Kernels.SUB: for (int i = 0; i < r.length; i++) { r[i] = x[i] - y[i]; } break;
            case Kernels.MUL: for (int i = 0; i < r.length; i++) { r[i] = x[i] * y[i]; } break;
            case MAX: for (int i = 0; i < r.length; i++) { r[i] = Math.max(x[i], y[i]); } break;
            case MIN: for (int i = 0; i < r.length; i++) { r[i] = Math.min(x[i], y[i]); } break;
            default:
                for (int i = 0; i < r.length; i++) {
                    r[i] = powLong(x[i], y[i]);
                }
        }
        return new NDArray(s, t, Storage.fromLongs(t, r));
    }

    private static NDArray floating(String name, int op, NDArray a, NDArray b) {
        switch (op) {
            case POW: return Kernels.broadcast(name, a, b, Math::pow);
            case MAX: return Kernels.broadcast(name, a, b, Math::max);
            case MIN: return Kernels.broadcast(name, a, b, Math::min);
            default: return Kernels.arith(name, op, a, b);
        }
    }

    /** {@code x^y} in wrapping 64-bit arithmetic (repeated squaring); negative exponents are refused, as in PyTorch. */
    static long powLong(long x, long y) {
        if (y < 0) {
            if (x == 1) {
                return 1;
            }
            if (x == -1) {
                return (y & 1) == 0 ? 1 : -1;
            }
            throw new ArithmeticException("pow: integers to negative integer powers are not allowed (" + x + " ** " + y
                    + "); convert the base to a float dtype with astype(DType.FLOAT64)");
        }
        long r = 1;
        long b = x;
        long e = y;
        while (e > 0) {
            if ((e & 1) != 0) {
                r *= b;
            }
            b *= b;
            e >>= 1;
        }
        return r;
    }

    private static NDArray boolBinary(String name, int op, NDArray a, NDArray b, int[] s) {
        boolean[] x = (boolean[]) a.storage();
        boolean[] y = (boolean[]) b.storage();
        boolean[] r = new boolean[x.length];
        switch (op) {
            case Kernels.ADD: case MAX: for (int i = 0; i < r.length; i++) { r[i] = x[i] | y[i]; } break;
            case Kernels.MUL: case MIN: for (int i = 0; i < r.length; i++) { r[i] = x[i] & y[i]; } break;
            case POW: for (int i = 0; i < r.length; i++) { r[i] = x[i] | !y[i]; } break;
            default:
                throw new IllegalArgumentException(name + ": subtraction, the `-` operator, with two bool arrays is not "
                        + "supported (shapes " + Shapes.str(a.shape) + " and " + Shapes.str(b.shape)
                        + "); use logicalXor() instead, or convert with astype(DType.INT64) first");
        }
        return new NDArray(s, DType.BOOL, r);
    }

    /** {@code -x} for an integer or bool array (bool refused, as PyTorch). */
    static NDArray neg(NDArray a) {
        if (a.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("neg: negation, the `-` operator, on a bool array (shape "
                    + Shapes.str(a.shape) + ") is not supported; to invert a mask use logicalNot() instead");
        }
        long[] x = Storage.toLongs(a.dtype(), a.storage());
        long[] r = new long[x.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = -x[i];
        }
        return new NDArray(a.shape, a.dtype(), Storage.fromLongs(a.dtype(), r));
    }

    static final int ABS = 0;
    static final int SIGN = 1;
    static final int RELU = 2;

    /** abs, sign or relu of an integer array, in its dtype (abs of the minimum value wraps, as in PyTorch). */
    static NDArray integerUnary(NDArray a, int op) {
        if (a.dtype() == DType.BOOL) {
            return a.copy(); // all three are the identity on {0, 1}
        }
        long[] x = Storage.toLongs(a.dtype(), a.storage());
        long[] r = new long[x.length];
        for (int i = 0; i < r.length; i++) {
            long v = x[i];
            r[i] = op == ABS ? Math.abs(v) : op == SIGN ? Long.signum(v) : Math.max(v, 0);
        }
        return new NDArray(a.shape, a.dtype(), Storage.fromLongs(a.dtype(), r));
    }

    // ---------------------------------------------------------------- comparisons and logic

    /** {@code a cmp b} with broadcasting, compared in the promoted dtype of {@code a} and {@code b}: a BOOL array. */
    static NDArray compare(String name, int cmp, NDArray a, NDArray b) {
        DType t = NDArray.resultType(a, b);
        int[] s = Shapes.broadcast(name, a.shape, b.shape);
        NDArray x = a.astype(t).broadcastTo(s);
        NDArray y = b.astype(t).broadcastTo(s);
        boolean[] r = new boolean[Shapes.size(s)];
        if (t == DType.FLOAT64) {
            compare(cmp, x.data, y.data, r);
        } else if (t.isFloatingPoint()) {
            compare(cmp, Storage.toDoubles(t, x.storage()), Storage.toDoubles(t, y.storage()), r);
        } else {
            long[] u = Storage.toLongs(t, x.storage());
            long[] v = Storage.toLongs(t, y.storage());
            for (int i = 0; i < r.length; i++) {
                long p = u[i];
                long q = v[i];
                r[i] = cmp == EQ ? p == q : cmp == NE ? p != q : cmp == LT ? p < q : cmp == LE ? p <= q : cmp == GT ? p > q : p >= q;
            }
        }
        return new NDArray(s, DType.BOOL, r);
    }

    private static void compare(int cmp, double[] x, double[] y, boolean[] r) {
        switch (cmp) {
            case EQ: for (int i = 0; i < r.length; i++) { r[i] = x[i] == y[i]; } break;
            case NE: for (int i = 0; i < r.length; i++) { r[i] = x[i] != y[i]; } break;
            case LT: for (int i = 0; i < r.length; i++) { r[i] = x[i] < y[i]; } break;
            case LE: for (int i = 0; i < r.length; i++) { r[i] = x[i] <= y[i]; } break;
            case GT: for (int i = 0; i < r.length; i++) { r[i] = x[i] > y[i]; } break;
            default: for (int i = 0; i < r.length; i++) { r[i] = x[i] >= y[i]; } break;
        }
    }

    /**
     * {@code a cmp s} for a {@code double} scalar: float64 compares with {@code s}; float32 and the
     * half dtypes with {@code s} rounded to float32 (as PyTorch casts a Python number); integer
     * and bool values are compared as doubles with {@code s}.
     */
    static NDArray compareScalar(int cmp, NDArray a, double s) {
        int n = a.size();
        double t = a.dtype() == DType.FLOAT64 || !a.dtype().isFloatingPoint() ? s : (double) (float) s;
        double[] x = a.dtype() == DType.FLOAT64 ? a.data : Storage.toDoubles(a.dtype(), a.storage());
        boolean[] r = new boolean[n];
        switch (cmp) {
            case EQ: for (int i = 0; i < n; i++) { r[i] = x[i] == t; } break;
            case NE: for (int i = 0; i < n; i++) { r[i] = x[i] != t; } break;
            case LT: for (int i = 0; i < n; i++) { r[i] = x[i] < t; } break;
            case LE: for (int i = 0; i < n; i++) { r[i] = x[i] <= t; } break;
            case GT: for (int i = 0; i < n; i++) { r[i] = x[i] > t; } break;
            default: for (int i = 0; i < n; i++) { r[i] = x[i] >= t; } break;
        }
        return new NDArray(a.shape.clone(), DType.BOOL, r);
    }

    static final int AND = 0;
    static final int OR = 1;
    static final int XOR = 2;

    /** Elementwise logical and / or / xor of any two dtypes ({@code != 0} is true), with broadcasting: a BOOL array. */
    static NDArray logical(String name, int op, NDArray a, NDArray b) {
        int[] s = Shapes.broadcast(name, a.shape, b.shape);
        boolean[] x = bools(a.broadcastTo(s));
        boolean[] y = bools(b.broadcastTo(s));
        boolean[] r = new boolean[x.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = op == AND ? x[i] & y[i] : op == OR ? x[i] | y[i] : x[i] ^ y[i];
        }
        return new NDArray(s, DType.BOOL, r);
    }

    /** The values as booleans ({@code != 0}); the array itself for a BOOL array. */
    static boolean[] bools(NDArray a) {
        if (a.dtype() == DType.BOOL) {
            return (boolean[]) a.storage();
        }
        return (boolean[]) Storage.convert(a.dtype(), a.storage(), DType.BOOL);
    }

    /** Elementwise {@code cond ? x : y} over a BOOL mask and two arrays of one dtype, all of {@code shape}. */
    static NDArray select(int[] shape, boolean[] c, NDArray x, NDArray y) {
        DType t = x.dtype();
        int n = c.length;
        if (t == DType.FLOAT64) {
            double[] u = x.data;
            double[] v = y.data;
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = c[i] ? u[i] : v[i];
            }
            return new NDArray(shape, out);
        }
        if (t == DType.FLOAT32) {
            float[] u = x.fdata;
            float[] v = y.fdata;
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = c[i] ? u[i] : v[i];
            }
            return new NDArray(shape, out);
        }
        Object both = Storage.alloc(t, 2 * n);
        System.arraycopy(x.storage(), 0, both, 0, n);
        System.arraycopy(y.storage(), 0, both, n, n);
        int[] pick = new int[n];
        for (int i = 0; i < n; i++) {
            pick[i] = c[i] ? i : n + i;
        }
        return new NDArray(shape, t, Storage.gather(both, pick));
    }

    // ---------------------------------------------------------------- reductions

    /** Sum (int64 for integers and bool, as PyTorch), max or min (the array's dtype) of an integer or bool array over sorted axes. */
    static NDArray reduce(NDArray a, int[] axes, int kind) {
        DType t = a.dtype();
        if (t.isFloatingPoint()) { // the half dtypes: in float32, rounded back
            return Kernels.reduce(a.astype(DType.FLOAT32), axes, kind).astype(t);
        }
        int n = a.shape.length;
        boolean[] red = new boolean[n];
        for (int ax : axes) {
            red[ax] = true;
        }
        int[] perm = new int[n];
        int[] outShape = new int[n - axes.length];
        int p = 0;
        for (int i = 0; i < n; i++) {
            if (!red[i]) {
                outShape[p] = a.shape[i];
                perm[p++] = i;
            }
        }
        int inner = 1;
        for (int i = 0; i < n; i++) {
            if (red[i]) {
                perm[p++] = i;
                inner *= a.shape[i];
            }
        }
        int outSize = Shapes.size(outShape);
        if (inner == 0 && kind != Kernels.SUM && outSize > 0) {
            throw new IllegalArgumentException((kind == Kernels.MAX ? "max" : "min")
                    + "(): expected reduction dim to have non-zero size (shape " + Shapes.str(a.shape) + ", dims "
                    + Arrays.toString(axes) + ")");
        }
        long[] src = Storage.toLongs(t, Kernels.permute(a, perm).storage());
        long[] out = new long[outSize];
        for (int o = 0, base = 0; o < outSize; o++, base += inner) {
            long m = kind == Kernels.SUM ? 0 : src[base];
            for (int j = kind == Kernels.SUM ? 0 : 1; j < inner; j++) {
                long v = src[base + j];
                m = kind == Kernels.SUM ? m + v : kind == Kernels.MAX ? Math.max(m, v) : Math.min(m, v);
            }
            out[o] = m;
        }
        DType rt = kind == Kernels.SUM ? DType.INT64 : t;
        return new NDArray(outShape, rt, Storage.fromLongs(rt, out));
    }

    /**
     * Index (int64) of the first maximum (or minimum) along {@code axis}, any dtype; a NaN counts
     * as the maximum and the minimum (the first NaN wins), as PyTorch's argmax and argmin.
     */
    static NDArray argmax(NDArray a, int axis, boolean max) {
        int n = a.shape.length;
        int[] perm = new int[n];
        int[] outShape = new int[n - 1];
        for (int i = 0, p = 0; i < n; i++) {
            if (i != axis) {
                outShape[p] = a.shape[i];
                perm[p++] = i;
            }
        }
        perm[n - 1] = axis;
        int inner = a.shape[axis];
        int outSize = Shapes.size(outShape);
        String op = max ? "argmax" : "argmin";
        if (inner == 0 && outSize > 0) {
            throw new IllegalArgumentException(op + "(): expected reduction dim " + axis + " to have non-zero size (shape "
                    + Shapes.str(a.shape) + ")");
        }
        NDArray src = axis == n - 1 ? a : Kernels.permute(a, perm);
        long[] out = new long[outSize];
        if (a.dtype().isFloatingPoint()) {
            double[] v = Storage.toDoubles(a.dtype(), src.storage());
            for (int o = 0, base = 0; o < outSize; o++, base += inner) {
                out[o] = bestDouble(v, base, inner, max);
            }
        } else {
            long[] v = Storage.toLongs(a.dtype(), src.storage());
            for (int o = 0, base = 0; o < outSize; o++, base += inner) {
                int best = 0;
                for (int j = 1; j < inner; j++) {
                    long x = v[base + j];
                    long b = v[base + best];
                    if (max ? x > b : x < b) {
                        best = j;
                    }
                }
                out[o] = best;
            }
        }
        return new NDArray(outShape, DType.INT64, out);
    }

    /** Offset (from {@code base}) of the first extreme among {@code v[base .. base+len)}; the first NaN wins. */
    static int bestDouble(double[] v, int base, int len, boolean max) {
        int best = 0;
        for (int j = 1; j < len; j++) {
            double b = v[base + best];
            if (b != b) {
                break;
            }
            double x = v[base + j];
            if (x != x || (max ? x > b : x < b)) {
                best = j;
            }
        }
        return best;
    }
}
