package dev.nabla.ndarray;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The float32 twins of {@link Kernels}: the same loops over {@code float[]} storage, with no
 * widened copy of any operand. Arithmetic (+ - * /, square, sqrt, neg, relu) is done in float and
 * is exactly float32 arithmetic; transcendental functions are evaluated in double on the exact
 * widened value and rounded once (within one float32 ulp); sums accumulate in double and round
 * once, so a float32 sum equals the float64 sum of the same values, rounded.
 */
final class FloatKernels {
    private FloatKernels() {}

    static final int NEG = 0;
    static final int EXP = 1;
    static final int LOG = 2;
    static final int SQRT = 3;
    static final int TANH = 4;
    static final int SIGMOID = 5;
    static final int RELU = 6;
    static final int SQUARE = 7;

    static float[] map(float[] a, DoubleUnaryOperator f) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) f.applyAsDouble(a[i]);
        }
        return out;
    }

    /** Elements per chunk of the transcendental functions (see {@link #transcendental}). */
    private static final int CHUNK = 256;

    /** The hot unary functions with one plain loop each (no lambda call per element). */
    static NDArray unary(NDArray a, int op) {
        float[] x = a.fdata;
        float[] out = new float[x.length];
        int t = Parallel.threadsFor(x.length);
        if (t == 1) {
            unary(x, out, op, 0, x.length);
        } else {
            Parallel.forRange(x.length, t, (from, to) -> unary(x, out, op, from, to));
        }
        return new NDArray(a.shape, out);
    }

    private static void unary(float[] x, float[] out, int op, int from, int to) {
        switch (op) {
            case NEG: for (int i = from; i < to; i++) { out[i] = -x[i]; } break;
            case SQRT: for (int i = from; i < to; i++) { out[i] = (float) Math.sqrt(x[i]); } break;
            case RELU: for (int i = from; i < to; i++) { out[i] = Math.max(x[i], 0f); } break;
            case SQUARE: for (int i = from; i < to; i++) { out[i] = x[i] * x[i]; } break;
            default: transcendental(op, x, out, from, to);
        }
    }

    /**
     * exp, log, tanh and sigmoid in double, rounded once. The values go through a small double
     * buffer chunk by chunk: a loop that widens, calls {@code Math.exp} and narrows per element ran
     * about three times slower than the same call on a {@code double[]} (measured on HotSpot 17),
     * while widen / compute / narrow in three loops over a chunk runs at the double speed.
     */
    private static void transcendental(int op, float[] x, float[] out, int from, int to) {
        double[] buf = new double[Math.min(CHUNK, to - from)];
        for (int base = from; base < to; base += CHUNK) {
            int len = Math.min(CHUNK, to - base);
            for (int j = 0; j < len; j++) {
                buf[j] = x[base + j];
            }
            switch (op) {
                case EXP: for (int j = 0; j < len; j++) { buf[j] = Math.exp(buf[j]); } break;
                case LOG: for (int j = 0; j < len; j++) { buf[j] = Math.log(buf[j]); } break;
                case TANH: for (int j = 0; j < len; j++) { buf[j] = Kernels.tanh(buf[j]); } break;
                default: for (int j = 0; j < len; j++) { buf[j] = NDArray.sigmoid(buf[j]); } break;
            }
            for (int j = 0; j < len; j++) {
                out[base + j] = (float) buf[j];
            }
        }
    }

    /** {@code dst += alpha * src} for a float32 destination or source (the other side may be either dtype). */
    static void addInPlace(NDArray dst, NDArray src, double alpha) {
        int n = dst.size();
        int t = Parallel.threadsFor(n);
        if (t == 1) {
            addInPlace(dst, src, alpha, 0, n);
        } else {
            Parallel.forRange(n, t, (from, to) -> addInPlace(dst, src, alpha, from, to));
        }
    }

    private static void addInPlace(NDArray dst, NDArray src, double alpha, int from, int to) {
        if (dst.fdata != null && src.fdata != null) {
            float[] d = dst.fdata;
            float[] o = src.fdata;
            float a = (float) alpha;
            for (int i = from; i < to; i++) {
                d[i] += a * o[i];
            }
        } else if (dst.fdata != null) {
            float[] d = dst.fdata;
            double[] o = src.data;
            for (int i = from; i < to; i++) {
                d[i] = (float) (d[i] + alpha * o[i]);
            }
        } else {
            double[] d = dst.data;
            float[] o = src.fdata;
            for (int i = from; i < to; i++) {
                d[i] += alpha * o[i];
            }
        }
    }

    /** The four arithmetic operations on two float32 arrays (see {@link Kernels#arith}). */
    static NDArray arith(String name, int op, NDArray a, NDArray b) {
        float[] x = a.fdata;
        float[] y = b.fdata;
        if (Arrays.equals(a.shape, b.shape)) {
            float[] out = new float[x.length];
            int t = Parallel.threadsFor(out.length);
            if (t == 1) {
                arith(op, x, y, out, 0, out.length);
            } else {
                Parallel.forRange(out.length, t, (from, to) -> arith(op, x, y, out, from, to));
            }
            return new NDArray(a.shape, out);
        }
        if (y.length == 1 && b.shape.length <= a.shape.length) {
            float s = y[0];
            float[] out = new float[x.length];
            int t = Parallel.threadsFor(out.length);
            if (t == 1) {
                arithScalar(op, x, s, out, 0, out.length);
            } else {
                Parallel.forRange(out.length, t, (from, to) -> arithScalar(op, x, s, out, from, to));
            }
            return new NDArray(a.shape, out);
        }
        if (Kernels.isSuffix(b.shape, a.shape)) {
            return rowBroadcast(op, a.shape, x, y, false);
        }
        if (Kernels.isSuffix(a.shape, b.shape)) {
            return rowBroadcast(op, b.shape, y, x, true);
        }
        switch (op) {
            case Kernels.ADD: return broadcast(name, a, b, Double::sum);
            case Kernels.SUB: return broadcast(name, a, b, (u, v) -> u - v);
            case Kernels.MUL: return broadcast(name, a, b, (u, v) -> u * v);
            default: return broadcast(name, a, b, (u, v) -> u / v);
        }
    }

    /** {@code big op row} with {@code row} repeating along the leading axes of {@code big} (see {@link Kernels}). */
    private static NDArray rowBroadcast(int op, int[] shape, float[] big, float[] row, boolean rowFirst) {
        int len = row.length;
        float[] out = new float[big.length];
        int rows = len == 0 ? 0 : big.length / len;
        int t = Parallel.threadsFor(big.length);
        if (t == 1) {
            rowBroadcast(op, big, row, rowFirst, out, 0, rows);
        } else {
            Parallel.forRange(rows, t, (from, to) -> rowBroadcast(op, big, row, rowFirst, out, from, to));
        }
        return new NDArray(shape, out);
    }

    private static void arith(int op, float[] x, float[] y, float[] out, int from, int to) {
        switch (op) {
            case Kernels.ADD: for (int i = from; i < to; i++) { out[i] = x[i] + y[i]; } break;
            case Kernels.SUB: for (int i = from; i < to; i++) { out[i] = x[i] - y[i]; } break;
            case Kernels.MUL: for (int i = from; i < to; i++) { out[i] = x[i] * y[i]; } break;
            default: for (int i = from; i < to; i++) { out[i] = x[i] / y[i]; } break;
        }
    }

    private static void arithScalar(int op, float[] x, float s, float[] out, int from, int to) {
        switch (op) {
            case Kernels.ADD: for (int i = from; i < to; i++) { out[i] = x[i] + s; } break;
            case Kernels.SUB: for (int i = from; i < to; i++) { out[i] = x[i] - s; } break;
            case Kernels.MUL: for (int i = from; i < to; i++) { out[i] = x[i] * s; } break;
            default: for (int i = from; i < to; i++) { out[i] = x[i] / s; } break;
        }
    }

    /** Rows {@code [from, to)} of {@link #rowBroadcast}. */
    private static void rowBroadcast(int op, float[] big, float[] row, boolean rowFirst, float[] out, int from, int to) {
        int len = row.length;
        for (int base = from * len, end = to * len; base < end; base += len) {
            if (rowFirst) {
                switch (op) {
                    case Kernels.ADD: for (int j = 0; j < len; j++) { out[base + j] = row[j] + big[base + j]; } break;
                    case Kernels.SUB: for (int j = 0; j < len; j++) { out[base + j] = row[j] - big[base + j]; } break;
                    case Kernels.MUL: for (int j = 0; j < len; j++) { out[base + j] = row[j] * big[base + j]; } break;
                    default: for (int j = 0; j < len; j++) { out[base + j] = row[j] / big[base + j]; } break;
                }
            } else {
                switch (op) {
                    case Kernels.ADD: for (int j = 0; j < len; j++) { out[base + j] = big[base + j] + row[j]; } break;
                    case Kernels.SUB: for (int j = 0; j < len; j++) { out[base + j] = big[base + j] - row[j]; } break;
                    case Kernels.MUL: for (int j = 0; j < len; j++) { out[base + j] = big[base + j] * row[j]; } break;
                    default: for (int j = 0; j < len; j++) { out[base + j] = big[base + j] / row[j]; } break;
                }
            }
        }
    }

    /**
     * General broadcasting of two float32 arrays: {@code f} sees the exact widened values and its
     * result is rounded to float32 (exact float32 semantics for + - * / and comparisons).
     */
    static NDArray broadcast(String name, NDArray a, NDArray b, DoubleBinaryOperator f) {
        int[] out = Shapes.broadcast(name, a.shape, b.shape);
        int size = Shapes.size(out);
        float[] r = new float[size];
        if (size == 0) {
            return new NDArray(out, r);
        }
        int n = out.length;
        if (n == 0) {
            r[0] = (float) f.applyAsDouble(a.fdata[0], b.fdata[0]);
            return new NDArray(out, r);
        }
        int[] sa = Kernels.broadcastStrides(a.shape, out);
        int[] sb = Kernels.broadcastStrides(b.shape, out);
        float[] x = a.fdata;
        float[] y = b.fdata;
        int last = out[n - 1];
        int la = sa[n - 1];
        int lb = sb[n - 1];
        int[] idx = new int[n];
        int oa = 0;
        int ob = 0;
        for (int base = 0; base < size; base += last) {
            for (int j = 0; j < last; j++) {
                r[base + j] = (float) f.applyAsDouble(x[oa + j * la], y[ob + j * lb]);
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
    static float[] stridedCopy(float[] src, int offset, int[] strides, int[] shape) {
        int size = Shapes.size(shape);
        float[] out = new float[size];
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

    /** The cache-blocked swap of the last two axes (see {@link Kernels#transposeLastTwo}). */
    static NDArray transposeLastTwo(NDArray a, int block) {
        int n = a.shape.length;
        int rows = a.shape[n - 2];
        int cols = a.shape[n - 1];
        int[] shape = a.shape.clone();
        shape[n - 2] = cols;
        shape[n - 1] = rows;
        float[] src = a.fdata;
        float[] out = new float[src.length];
        int plane = rows * cols;
        for (int base = 0; base < src.length; base += plane) {
            for (int i0 = 0; i0 < rows; i0 += block) {
                int i1 = Math.min(rows, i0 + block);
                for (int j0 = 0; j0 < cols; j0 += block) {
                    int j1 = Math.min(cols, j0 + block);
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

    /**
     * Reduces a float32 array over the sorted {@code axes} (reduced axes removed). Sums accumulate
     * in double and are divided by {@code divisor} (1 for a sum, the count for a mean) before the
     * single rounding to float32; max and min are exact.
     */
    static NDArray reduce(NDArray a, int[] axes, int kind, int divisor) {
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
        boolean leading = kind == Kernels.SUM && inner > 0;
        for (int i = 0; i < axes.length; i++) {
            leading &= axes[i] == i;
        }
        float[] out = new float[outSize];
        if (leading && !trailing) {
            // whole rows added in order into a double accumulator: the same order as the general path
            double[] acc = new double[outSize];
            float[] src = a.fdata;
            for (int base = 0; base < src.length; base += outSize) {
                for (int j = 0; j < outSize; j++) {
                    acc[j] += src[base + j];
                }
            }
            for (int j = 0; j < outSize; j++) {
                out[j] = (float) (acc[j] / divisor);
            }
            return new NDArray(outShape, out);
        }
        float[] src = trailing ? a.fdata : Kernels.permute(a, perm).fdata;
        if (inner == 0 && kind != Kernels.SUM) {
            throw new IllegalArgumentException((kind == Kernels.MAX ? "max" : "min")
                    + "(): expected reduction dim to have non-zero size (shape " + Shapes.str(a.shape) + ", dims "
                    + Arrays.toString(axes) + ")");
        }
        for (int o = 0, base = 0; o < outSize; o++, base += inner) {
            if (kind == Kernels.SUM) {
                double s = 0;
                for (int j = 0; j < inner; j++) {
                    s += src[base + j];
                }
                out[o] = (float) (s / divisor);
            } else if (kind == Kernels.MAX) {
                float m = src[base];
                for (int j = 1; j < inner; j++) {
                    float v = src[base + j];
                    if (v > m || Float.isNaN(v)) {
                        m = v;
                    }
                }
                out[o] = m;
            } else {
                float m = src[base];
                for (int j = 1; j < inner; j++) {
                    float v = src[base + j];
                    if (v < m || Float.isNaN(v)) {
                        m = v;
                    }
                }
                out[o] = m;
            }
        }
        return new NDArray(outShape, out);
    }
}
