package dev.nabla.ndarray;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Plain static kernels over row-major storage: elementwise maps with NumPy broadcasting, strided
 * copies (permute, broadcast), reductions and concatenation. Only this class, {@link FloatKernels}
 * (the float32 twins, dispatched to from here), {@link Gather}, {@link MatMul} and {@link NDArray}
 * touch backing arrays.
 */
final class Kernels {
    private Kernels() {}

    static final int ADD = 0;
    static final int SUB = 1;
    static final int MUL = 2;
    static final int DIV = 3;

    static final int ABS = 100;
    static final int SIGN = 101;
    static final int SIN = 102;
    static final int COS = 103;

    /**
     * The hot unary functions, one plain loop each (op codes of {@link FloatKernels} plus ABS,
     * SIGN, SIN, COS). A {@code DoubleUnaryOperator} per element through {@link #map} is a
     * megamorphic call once several ops share it (measured 4.5 ns per element for ReLU on a conv
     * output, against 0.4 ns for the plain loop).
     */
    static double[] unary(double[] x, int op) {
        double[] out = new double[x.length];
        int t = Parallel.threadsFor(x.length);
        if (t == 1) {
            unary(x, out, op, 0, x.length);
        } else {
            Parallel.forRange(x.length, t, (from, to) -> unary(x, out, op, from, to));
        }
        return out;
    }

    private static void unary(double[] x, double[] out, int op, int from, int to) {
        switch (op) {
            case FloatKernels.NEG: for (int i = from; i < to; i++) { out[i] = -x[i]; } break;
            case FloatKernels.EXP: for (int i = from; i < to; i++) { out[i] = Math.exp(x[i]); } break;
            case FloatKernels.LOG: for (int i = from; i < to; i++) { out[i] = Math.log(x[i]); } break;
            case FloatKernels.SQRT: for (int i = from; i < to; i++) { out[i] = Math.sqrt(x[i]); } break;
            case FloatKernels.TANH: for (int i = from; i < to; i++) { out[i] = tanh(x[i]); } break;
            case FloatKernels.SIGMOID: for (int i = from; i < to; i++) { out[i] = NDArray.sigmoid(x[i]); } break;
            case FloatKernels.RELU: for (int i = from; i < to; i++) { out[i] = Math.max(x[i], 0.0); } break;
            case FloatKernels.SQUARE: for (int i = from; i < to; i++) { out[i] = x[i] * x[i]; } break;
            case ABS: for (int i = from; i < to; i++) { out[i] = Math.abs(x[i]); } break;
            case SIGN: for (int i = from; i < to; i++) { out[i] = Math.signum(x[i]); } break;
            case SIN: for (int i = from; i < to; i++) { out[i] = Math.sin(x[i]); } break;
            case COS: for (int i = from; i < to; i++) { out[i] = Math.cos(x[i]); } break;
            default: throw new IllegalArgumentException("unary: unknown op " + op);
        }
    }

    /**
     * Leaky ReLU ({@code slope} 0: ReLU) and its derivative, branch-free: {@code max(x,0) +
     * slope·min(x,0)} (NaN stays NaN, as in PyTorch) and {@code 1} where {@code x > 0}, else
     * {@code slope}.
     */
    static double[] leakyRelu(double[] x, double slope, boolean derivative) {
        double[] out = new double[x.length];
        int t = Parallel.threadsFor(x.length);
        if (t == 1) {
            leakyRelu(x, out, slope, derivative, 0, x.length);
        } else {
            Parallel.forRange(x.length, t, (from, to) -> leakyRelu(x, out, slope, derivative, from, to));
        }
        return out;
    }

    /** {@code g·(y·(1 - y))} (sigmoid) or {@code g·(1 - y·y)} (tanh) over {@code [from, to)}. */
    static void outputBackward(double[] y, double[] g, double[] out, boolean sigmoid, int from, int to) {
        if (sigmoid) {
            for (int i = from; i < to; i++) {
                double v = y[i];
                out[i] = g[i] * (v * (1.0 - v));
            }
        } else {
            for (int i = from; i < to; i++) {
                double v = y[i];
                out[i] = g[i] * (1.0 - v * v);
            }
        }
    }

    /** {@code g · (x > 0 ? 1 : slope)} over {@code [from, to)}, the mask formed as the derivative loop below forms it. */
    static void leakyReluBackward(double[] x, double[] g, double[] out, double slope, int from, int to) {
        for (int i = from; i < to; i++) {
            long st = positive(x[i]);
            double mask = st + (1 - st) * slope;
            out[i] = g[i] * mask;
        }
    }

    private static void leakyRelu(double[] x, double[] out, double slope, boolean derivative, int from, int to) {
        if (derivative) {
            for (int i = from; i < to; i++) {
                long st = positive(x[i]);
                out[i] = st + (1 - st) * slope;
            }
        } else if (slope == 0) {
            for (int i = from; i < to; i++) {
                out[i] = Math.max(x[i], 0.0);
            }
        } else {
            for (int i = from; i < to; i++) {
                out[i] = Math.max(x[i], 0.0) + slope * Math.min(x[i], 0.0);
            }
        }
    }

    /**
     * 1 when {@code v > 0}, else 0 (also for NaN and −0), without a branch: with {@code u} the bits
     * minus one, {@code v > 0} exactly when {@code u} is below the bits of +∞ as an unsigned number.
     * The comparison {@code v > 0 ? 1 : slope} compiled to a branch that mispredicts on activations
     * of random sign (4.2 ns per element against 1.8 here, and 0.8 for the float twin).
     */
    static long positive(double v) {
        long u = Double.doubleToRawLongBits(v) - 1;
        return ((u - 0x7ff0000000000000L) & ~u) >>> 63;
    }

    /** {@link #positive(double)} for a float. */
    static int positive(float v) {
        int u = Float.floatToRawIntBits(v) - 1;
        return ((u - 0x7f800000) & ~u) >>> 31;
    }

    static double[] map(double[] a, DoubleUnaryOperator f) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = f.applyAsDouble(a[i]);
        }
        return out;
    }

    /**
     * Coefficients of {@code q(s)}, highest degree first, with {@code tanh(x) = x + x s q(s)} for
     * {@code s = x²} and {@code |x| < 0.55}: a Chebyshev fit of {@code (tanh(x)/x - 1)/s} (error
     * below 8e-18, computed with mpmath at 60 digits).
     */
    private static final double[] TANH_Q = {
        -2.060276537636634e-05, 8.511313685577672e-05, -0.0002346347410887237, 0.0005889360520074057,
        -0.001455661830100716, 0.003592110378689024, -0.008863234397814355, 0.021869488493666944,
        -0.053968253967434016, 0.13333333333332714, -0.3333333333333333,
    };

    /**
     * The hyperbolic tangent within 2 ulp of {@link StrictMath#tanh} (Math.tanh's own contract is
     * 2.5 ulp), about three times faster: an odd polynomial below 0.55, {@code 1 - 2/(e^{2|x|}+1)}
     * up to 22 (well conditioned there), and ±1 beyond. {@link Math#tanh} is not a JIT intrinsic;
     * in a tanh RNN it was half of the forward pass.
     */
    static double tanh(double x) {
        double ax = Math.abs(x);
        if (ax < 0.55) {
            if (x == 0.0) {
                return x; // keeps the sign of -0.0
            }
            double s = x * x;
            double[] c = TANH_Q;
            double q = c[0];
            q = q * s + c[1];
            q = q * s + c[2];
            q = q * s + c[3];
            q = q * s + c[4];
            q = q * s + c[5];
            q = q * s + c[6];
            q = q * s + c[7];
            q = q * s + c[8];
            q = q * s + c[9];
            q = q * s + c[10];
            return x + x * (s * q);
        }
        if (ax < 22.0) {
            double t = Math.exp(2.0 * ax);
            return Math.copySign(1.0 - 2.0 / (t + 1.0), x);
        }
        return Double.isNaN(x) ? x : Math.copySign(1.0, x);
    }

    /** The four arithmetic operations with specialised loops for equal shapes and scalars. */
    static NDArray arith(String name, int op, NDArray a, NDArray b) {
        if (a.xdata != null || b.xdata != null) {
            return TypedKernels.binary(name, op, a, b);
        }
        double[] x = a.data;
        double[] y = b.data;
        if (x == null || y == null) {
            if (x == null && y == null) {
                return FloatKernels.arith(name, op, a, b);
            }
            DType t = NDArray.resultType(a, b);
            return arith(name, op, a.astype(t), b.astype(t));
        }
        if (Arrays.equals(a.shape, b.shape)) {
            double[] out = new double[x.length];
            int t = Parallel.threadsFor(out.length);
            if (t == 1) {
                arith(op, x, y, out, 0, out.length);
            } else {
                Parallel.forRange(out.length, t, (from, to) -> arith(op, x, y, out, from, to));
            }
            return new NDArray(a.shape, out);
        }
        if (y.length == 1 && b.shape.length <= a.shape.length) {
            double s = y[0];
            double[] out = new double[x.length];
            int t = Parallel.threadsFor(out.length);
            if (t == 1) {
                arithScalar(op, x, s, out, 0, out.length);
            } else {
                Parallel.forRange(out.length, t, (from, to) -> arithScalar(op, x, s, out, from, to));
            }
            return new NDArray(a.shape, out);
        }
        if (isSuffix(b.shape, a.shape)) {
            return rowBroadcast(op, a.shape, x, y, false);
        }
        if (isSuffix(a.shape, b.shape)) {
            return rowBroadcast(op, b.shape, y, x, true);
        }
        switch (op) {
            case ADD: return broadcast(name, a, b, Double::sum);
            case SUB: return broadcast(name, a, b, (u, v) -> u - v);
            case MUL: return broadcast(name, a, b, (u, v) -> u * v);
            default: return broadcast(name, a, b, (u, v) -> u / v);
        }
    }

    private static void arith(int op, double[] x, double[] y, double[] out, int from, int to) {
        switch (op) {
            case ADD: for (int i = from; i < to; i++) { out[i] = x[i] + y[i]; } break;
            case SUB: for (int i = from; i < to; i++) { out[i] = x[i] - y[i]; } break;
            case MUL: for (int i = from; i < to; i++) { out[i] = x[i] * y[i]; } break;
            default: for (int i = from; i < to; i++) { out[i] = x[i] / y[i]; } break;
        }
    }

    private static void arithScalar(int op, double[] x, double s, double[] out, int from, int to) {
        switch (op) {
            case ADD: for (int i = from; i < to; i++) { out[i] = x[i] + s; } break;
            case SUB: for (int i = from; i < to; i++) { out[i] = x[i] - s; } break;
            case MUL: for (int i = from; i < to; i++) { out[i] = x[i] * s; } break;
            default: for (int i = from; i < to; i++) { out[i] = x[i] / s; } break;
        }
    }

    /** Whether {@code suffix} equals the trailing axes of {@code shape} (and is shorter). */
    static boolean isSuffix(int[] suffix, int[] shape) {
        int off = shape.length - suffix.length;
        if (off <= 0 || suffix.length == 0) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (suffix[i] != shape[off + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code big op row} (or {@code row op big} when {@code rowFirst}) where {@code row} repeats
     * along the leading axes of {@code big}, e.g. adding a bias of shape (C) to (N, C): a loop per
     * row instead of the general broadcast with a lambda per element.
     */
    private static NDArray rowBroadcast(int op, int[] shape, double[] big, double[] row, boolean rowFirst) {
        int len = row.length;
        double[] out = new double[big.length];
        int rows = len == 0 ? 0 : big.length / len;
        int t = Parallel.threadsFor(big.length);
        if (t == 1) {
            rowBroadcast(op, big, row, rowFirst, out, 0, rows);
        } else {
            Parallel.forRange(rows, t, (from, to) -> rowBroadcast(op, big, row, rowFirst, out, from, to));
        }
        return new NDArray(shape, out);
    }

    /** Rows {@code [from, to)} of {@link #rowBroadcast}. */
    private static void rowBroadcast(int op, double[] big, double[] row, boolean rowFirst, double[] out, int from, int to) {
        int len = row.length;
        for (int base = from * len, end = to * len; base < end; base += len) {
            if (rowFirst) {
                switch (op) {
                    case ADD: for (int j = 0; j < len; j++) { out[base + j] = row[j] + big[base + j]; } break;
                    case SUB: for (int j = 0; j < len; j++) { out[base + j] = row[j] - big[base + j]; } break;
                    case MUL: for (int j = 0; j < len; j++) { out[base + j] = row[j] * big[base + j]; } break;
                    default: for (int j = 0; j < len; j++) { out[base + j] = row[j] / big[base + j]; } break;
                }
            } else {
                switch (op) {
                    case ADD: for (int j = 0; j < len; j++) { out[base + j] = big[base + j] + row[j]; } break;
                    case SUB: for (int j = 0; j < len; j++) { out[base + j] = big[base + j] - row[j]; } break;
                    case MUL: for (int j = 0; j < len; j++) { out[base + j] = big[base + j] * row[j]; } break;
                    default: for (int j = 0; j < len; j++) { out[base + j] = big[base + j] / row[j]; } break;
                }
            }
        }
    }

    /** Strides of {@code shape} viewed as broadcast to {@code out} (0 along broadcast axes). */
    static int[] broadcastStrides(int[] shape, int[] out) {
        int n = out.length;
        int[] s = new int[n];
        int[] own = Shapes.strides(shape);
        int off = n - shape.length;
        for (int i = 0; i < shape.length; i++) {
            s[i + off] = shape[i] == 1 && out[i + off] != 1 ? 0 : own[i];
        }
        return s;
    }

    /**
     * {@code f} applied elementwise with broadcasting, in the {@link NDArray#resultType} of the
     * operands (float32 operands go to {@link FloatKernels#broadcast}).
     */
    static NDArray broadcast(String name, NDArray a, NDArray b, DoubleBinaryOperator f) {
        if (a.xdata != null || b.xdata != null) { // other dtypes: in their float compute type, rounded back
            DType t = NDArray.resultType(a, b);
            DType c = t.isFloatingPoint() ? t.computeType() : DType.FLOAT64;
            return broadcast(name, a.astype(c), b.astype(c), f).astype(t);
        }
        if (a.data == null || b.data == null) {
            if (a.data == null && b.data == null) {
                return FloatKernels.broadcast(name, a, b, f);
            }
            DType t = NDArray.resultType(a, b);
            return broadcast(name, a.astype(t), b.astype(t), f);
        }
        int[] out = Shapes.broadcast(name, a.shape, b.shape);
        int size = Shapes.size(out);
        double[] r = new double[size];
        if (size == 0) {
            return new NDArray(out, r);
        }
        int n = out.length;
        if (n == 0) {
            r[0] = f.applyAsDouble(a.data[0], b.data[0]);
            return new NDArray(out, r);
        }
        int[] sa = broadcastStrides(a.shape, out);
        int[] sb = broadcastStrides(b.shape, out);
        double[] x = a.data;
        double[] y = b.data;
        int last = out[n - 1];
        int la = sa[n - 1];
        int lb = sb[n - 1];
        int[] idx = new int[n];
        int oa = 0;
        int ob = 0;
        for (int base = 0; base < size; base += last) {
            for (int j = 0; j < last; j++) {
                r[base + j] = f.applyAsDouble(x[oa + j * la], y[ob + j * lb]);
            }
            for (int d = n - 2; d >= 0; d--) {
                idx[d]++;
                oa += sa[d];
                ob += sb[d];
                if (idx[d] < out[d]) {
                    break;
                }
                oa -= sa[d] * out[d];
                ob -= sb[d] * out[d];
                idx[d] = 0;
            }
        }
        return new NDArray(out, r);
    }

    /** Copies {@code src} read with {@code strides} (any, including 0) into a contiguous array of {@code shape}. */
    static double[] stridedCopy(double[] src, int offset, int[] strides, int[] shape) {
        int size = Shapes.size(shape);
        double[] out = new double[size];
        int n = shape.length;
        if (size == 0) {
            return out;
        }
        if (n == 0) {
            out[0] = src[offset];
            return out;
        }
        int last = shape[n - 1];
        int ls = strides[n - 1];
        int[] idx = new int[n];
        int o = offset;
        for (int base = 0; base < size; base += last) {
            if (ls == 1) {
                System.arraycopy(src, o, out, base, last);
            } else {
                for (int j = 0; j < last; j++) {
                    out[base + j] = src[o + j * ls];
                }
            }
            for (int d = n - 2; d >= 0; d--) {
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

    static NDArray permute(NDArray a, int[] perm) {
        int n = a.shape.length;
        if (a.xdata == null && swapsLastTwo(perm)) {
            return transposeLastTwo(a);
        }
        int[] own = Shapes.strides(a.shape);
        int[] shape = new int[n];
        int[] strides = new int[n];
        for (int i = 0; i < n; i++) {
            shape[i] = a.shape[perm[i]];
            strides[i] = own[perm[i]];
        }
        if (a.xdata != null) {
            return new NDArray(shape, a.dtype(), Storage.gather(a.xdata, Storage.stridedOffsets(0, strides, shape)));
        }
        return a.data != null ? new NDArray(shape, stridedCopy(a.data, 0, strides, shape))
                : new NDArray(shape, FloatKernels.stridedCopy(a.fdata, 0, strides, shape));
    }

    /** Whether {@code perm} swaps the last two axes and keeps the others (a matrix transpose, batched or not). */
    private static boolean swapsLastTwo(int[] perm) {
        int n = perm.length;
        if (n < 2 || perm[n - 2] != n - 1 || perm[n - 1] != n - 2) {
            return false;
        }
        for (int i = 0; i < n - 2; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** Tile edge of the cache-blocked transpose. */
    private static final int TRANSPOSE_BLOCK = 32;

    /**
     * Swaps the last two axes with a cache-blocked copy: the plain strided copy reads a whole
     * column per output row, which for matrices of a few hundred columns misses the cache on
     * nearly every element.
     */
    static NDArray transposeLastTwo(NDArray a) {
        if (a.data == null) {
            return FloatKernels.transposeLastTwo(a, TRANSPOSE_BLOCK);
        }
        int n = a.shape.length;
        int rows = a.shape[n - 2];
        int cols = a.shape[n - 1];
        int[] shape = a.shape.clone();
        shape[n - 2] = cols;
        shape[n - 1] = rows;
        double[] src = a.data;
        double[] out = new double[src.length];
        int plane = rows * cols;
        for (int base = 0; base < src.length; base += plane) {
            for (int i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK) {
                int i1 = Math.min(rows, i0 + TRANSPOSE_BLOCK);
                for (int j0 = 0; j0 < cols; j0 += TRANSPOSE_BLOCK) {
                    int j1 = Math.min(cols, j0 + TRANSPOSE_BLOCK);
                    for (int j = j0; j < j1; j++) {
                        int d = base + j * rows;
                        for (int i = i0, sIdx = base + i0 * cols + j; i < i1; i++, sIdx += cols) {
                            out[d + i] = src[sIdx];
                        }
                    }
                }
            }
        }
        return new NDArray(shape, out);
    }

    static final int SUM = 0;
    static final int MAX = 1;
    static final int MIN = 2;

    /**
     * Reduces {@code a} over the sorted axes {@code axes}; returns the result with the reduced
     * axes removed (callers reshape for keepDims).
     */
    static NDArray reduce(NDArray a, int[] axes, int kind) {
        if (a.xdata != null) {
            return TypedKernels.reduce(a, axes, kind);
        }
        if (a.data == null) {
            return FloatKernels.reduce(a, axes, kind, 1);
        }
        int n = a.shape.length;
        boolean[] red = new boolean[n];
        for (int ax : axes) {
            red[ax] = true;
        }
        int[] perm = new int[n];
        int p = 0;
        int outSize = 1;
        int[] outShape = new int[n - axes.length];
        for (int i = 0; i < n; i++) {
            if (!red[i]) {
                outShape[p] = a.shape[i];
                outSize *= a.shape[i];
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
        boolean trailing = true;
        for (int i = 0; i < n; i++) {
            trailing &= perm[i] == i;
        }
        boolean leading = kind == SUM && inner > 0;
        for (int i = 0; i < axes.length; i++) {
            leading &= axes[i] == i;
        }
        if (leading && !trailing) {
            // sum over leading axes (a bias gradient): add whole rows in order, no transposed copy;
            // each output still sums its inputs from 0 in the same order as the general path
            double[] out = new double[outSize];
            double[] src = a.data;
            for (int base = 0; base < src.length; base += outSize) {
                for (int j = 0; j < outSize; j++) {
                    out[j] += src[base + j];
                }
            }
            return new NDArray(outShape, out);
        }
        double[] src = trailing ? a.data : permute(a, perm).data;
        double[] out = new double[outSize];
        if (inner == 0 && kind != SUM) {
            throw new IllegalArgumentException((kind == MAX ? "max" : "min")
                    + "(): expected reduction dim to have non-zero size (shape " + Shapes.str(a.shape) + ", dims "
                    + Arrays.toString(axes) + ")");
        }
        for (int o = 0, base = 0; o < outSize; o++, base += inner) {
            if (kind == SUM) {
                double s = 0;
                for (int j = 0; j < inner; j++) {
                    s += src[base + j];
                }
                out[o] = s;
            } else if (kind == MAX) {
                double m = src[base];
                for (int j = 1; j < inner; j++) {
                    double v = src[base + j];
                    if (v > m || Double.isNaN(v)) {
                        m = v;
                    }
                }
                out[o] = m;
            } else {
                double m = src[base];
                for (int j = 1; j < inner; j++) {
                    double v = src[base + j];
                    if (v < m || Double.isNaN(v)) {
                        m = v;
                    }
                }
                out[o] = m;
            }
        }
        return new NDArray(outShape, out);
    }

    /**
     * Joins {@code parts} along {@code axis}; mixed dtypes promote to their common dtype
     * ({@link DType#promote} over all parts, as PyTorch's cat).
     */
    static NDArray concat(int axis, NDArray[] parts, int[] outShape) {
        DType t = parts[0].dtype();
        for (NDArray p : parts) {
            t = DType.promote(t, p.dtype());
        }
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= outShape[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < outShape.length; i++) {
            inner *= outShape[i];
        }
        int size = Shapes.size(outShape);
        Object out = Storage.alloc(t, size);
        int rowLen = outShape[axis] * inner;
        int col = 0;
        for (NDArray p : parts) {
            int chunk = p.shape[axis] * inner;
            Object src = p.astype(t).storage();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * chunk, out, o * rowLen + col, chunk);
            }
            col += chunk;
        }
        return new NDArray(outShape, t, out);
    }
}
