package dev.nabla.ndarray;

import java.util.Arrays;

/**
 * Index maps of the rearranging ops (flip, roll, repeat, pad, gather along an axis, sort): each
 * returns the {@link Gather} that reads, for every result element, one source element. Gathering
 * by it is the forward; scatter-adding by it is the exact adjoint, so one pair of nodes
 * differentiates them all to any order. Argument checks name the op, the shapes and the fix.
 * Stateless and thread-safe.
 */
public final class IndexMaps {
    private IndexMaps() {}

    /**
     * The gather whose result coordinate {@code o} along axis {@code a} reads source coordinate
     * {@code tables[a][o]} (all axes independent): result shape is the table lengths.
     */
    public static Gather separable(int[] sourceShape, int[][] tables) {
        int n = sourceShape.length;
        int[] strides = Shapes.strides(sourceShape);
        int[] out = new int[n];
        for (int a = 0; a < n; a++) {
            out[a] = tables[a].length;
        }
        int size = Shapes.size(out);
        int[] offsets = new int[size];
        int[] idx = new int[n];
        for (int i = 0; i < size; i++) {
            int off = 0;
            for (int a = 0; a < n; a++) {
                off += tables[a][idx[a]] * strides[a];
            }
            offsets[i] = off;
            for (int a = n - 1; a >= 0; a--) {
                if (++idx[a] < out[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return Gather.of(sourceShape, out, offsets);
    }

    private static int[][] identity(int[] shape) {
        int[][] t = new int[shape.length][];
        for (int a = 0; a < shape.length; a++) {
            t[a] = iota(shape[a]);
        }
        return t;
    }

    private static int[] iota(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** PyTorch's {@code flip(dims)}: reverses the order along each of {@code axes} (repeats refused). */
    public static Gather flip(int[] shape, int... axes) {
        int[] ax = Shapes.axes("flip", axes, shape.length);
        if (axes.length == 0) {
            ax = new int[0];
        }
        int[][] t = identity(shape);
        for (int a : ax) {
            int d = shape[a];
            for (int i = 0; i < d; i++) {
                t[a][i] = d - 1 - i;
            }
        }
        return separable(shape, t);
    }

    /**
     * PyTorch's {@code roll(shifts, dims)}: element {@code i} moves to {@code i + shift} (mod the
     * size) along each axis; with no axes the flattened array is rolled and the shape restored.
     */
    public static Gather roll(int[] shape, int[] shifts, int[] axes) {
        if (axes == null || axes.length == 0) {
            if (shifts.length != 1) {
                throw new IllegalArgumentException("roll: shifts and dimensions must align: without dims, give exactly "
                        + "one shift (the flattened array is rolled), but got shifts " + Arrays.toString(shifts));
            }
            int n = Shapes.size(shape);
            int[] off = new int[n];
            for (int i = 0; i < n; i++) {
                off[i] = Math.floorMod(i - shifts[0], n);
            }
            return Gather.of(shape, shape, off);
        }
        if (shifts.length != axes.length) {
            throw new IllegalArgumentException("roll: shifts and dimensions must align. shifts: " + shifts.length
                    + ", dims: " + axes.length + "; give one shift per dim");
        }
        int[][] t = identity(shape);
        for (int k = 0; k < axes.length; k++) {
            int a = Shapes.axis("roll", axes[k], shape.length);
            int d = shape[a];
            int[] cur = t[a].clone();
            for (int i = 0; i < d; i++) {
                t[a][i] = cur[Math.floorMod(i - shifts[k], d)];
            }
        }
        return separable(shape, t);
    }

    /**
     * PyTorch's {@code repeat(sizes)} on an array already reshaped to {@code sizes.length} axes:
     * the result along axis a is {@code sizes[a]} copies of the source axis, one after another.
     */
    public static Gather repeat(int[] shape, int... sizes) {
        if (sizes.length != shape.length) {
            throw new IllegalArgumentException("repeat: expected " + shape.length + " repeat counts for shape "
                    + Shapes.str(shape) + ", got " + Arrays.toString(sizes));
        }
        int[][] t = new int[shape.length][];
        for (int a = 0; a < shape.length; a++) {
            if (sizes[a] < 0) {
                throw new IllegalArgumentException("repeat: repeat counts must be non-negative, but got "
                        + Arrays.toString(sizes));
            }
            int d = shape[a];
            t[a] = new int[Shapes.product("repeat", d, sizes[a])];
            for (int i = 0; i < t[a].length; i++) {
                t[a][i] = i % d;
            }
        }
        return separable(shape, t);
    }

    /** Padding modes of {@link #padTables} and {@code Variable.pad}, as PyTorch's {@code F.pad(mode=...)}. Immutable and thread-safe. */
    public enum PadMode {
        /** A constant value outside (the index map marks those positions -1). */
        CONSTANT,
        /** Mirror without repeating the edge: {@code [a b c] -> b [a b c] b}. */
        REFLECT,
        /** Repeat the edge: {@code [a b c] -> a [a b c] c}. */
        REPLICATE,
        /** Wrap around (periodic): {@code [a b c] -> c [a b c] a}; each pad at most the dimension's size. */
        CIRCULAR
    }

    /**
     * Per-axis source coordinate of each padded coordinate for PyTorch's pad spec
     * {@code (left_last, right_last, left_second_last, right_second_last, ...)}; -1 marks a
     * constant-mode position outside the source. Negative pads crop (constant mode only).
     */
    public static int[][] padTables(int[] shape, int[] pad, PadMode mode) {
        if (pad.length % 2 != 0) {
            throw new IllegalArgumentException("pad: padding length must be divisible by 2, but got "
                    + Arrays.toString(pad) + "; give (left, right) pairs, last dimension first");
        }
        if (pad.length / 2 > shape.length) {
            throw new IllegalArgumentException("pad: padding length " + pad.length + " is too large for an input of shape "
                    + Shapes.str(shape) + ": at most 2 * ndim = " + 2 * shape.length + " values");
        }
        int[][] t = identity(shape);
        for (int k = 0; k < pad.length / 2; k++) {
            int a = shape.length - 1 - k;
            int l = pad[2 * k];
            int r = pad[2 * k + 1];
            int d = shape[a];
            if (mode != PadMode.CONSTANT && (l < 0 || r < 0)) {
                throw new IllegalArgumentException("pad: negative padding " + Arrays.toString(pad) + " is only supported "
                        + "in constant mode, not " + mode.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (mode == PadMode.REFLECT && (l >= d || r >= d)) {
                throw new IllegalArgumentException("pad: padding size should be less than the corresponding input "
                        + "dimension, but got: padding (" + l + ", " + r + ") at dimension " + a + " of input of shape "
                        + Shapes.str(shape) + "; use replicate or constant mode, or smaller pads");
            }
            if (mode == PadMode.CIRCULAR && (l > d || r > d)) {
                throw new IllegalArgumentException("pad: Padding value causes wrapping around more than once: padding ("
                        + l + ", " + r + ") at dimension " + a + " of input of shape " + Shapes.str(shape)
                        + " (circular padding must not exceed the dimension's size " + d + "); use smaller pads");
            }
            if (mode == PadMode.REPLICATE && d == 0 && l + r > 0) {
                throw new IllegalArgumentException("pad: replicate padding of the empty dimension " + a + " of shape "
                        + Shapes.str(shape) + " has no edge to repeat");
            }
            int n = d + l + r;
            if (n < 0) {
                throw new IllegalArgumentException("pad: the padding " + Arrays.toString(pad) + " leaves dimension " + a
                        + " of shape " + Shapes.str(shape) + " with negative size " + n);
            }
            int[] tab = new int[n];
            for (int o = 0; o < n; o++) {
                int s = o - l;
                if (s < 0 || s >= d) {
                    switch (mode) {
                        case REFLECT:
                            s = s < 0 ? -s : 2 * (d - 1) - s;
                            break;
                        case REPLICATE:
                            s = s < 0 ? 0 : d - 1;
                            break;
                        case CIRCULAR:
                            s = s < 0 ? s + d : s - d;
                            break;
                        default:
                            s = -1;
                    }
                }
                tab[o] = s;
            }
            t[a] = tab;
        }
        return t;
    }

    /**
     * PyTorch's {@code gather(input, dim, index)}: result element at {@code m} reads the source at
     * {@code m} with coordinate {@code axis} replaced by {@code index[m]}; result shape is the
     * index shape, and every other axis of the index must not exceed the source's.
     */
    public static Gather alongAxis(String op, int[] shape, int axis, NDArray index) {
        int a = checkIndex(op, shape, axis, index, null, null);
        long[] ix = index.toLongArray();
        int[] is = index.shape();
        int[] strides = Shapes.strides(shape);
        int[] off = new int[ix.length];
        int[] m = new int[is.length];
        for (int i = 0; i < ix.length; i++) {
            long v = ix[i];
            if (v < 0 || v >= shape[a]) {
                throw new IndexOutOfBoundsException(op + ": index " + v + " is out of bounds for dimension " + axis
                        + " with size " + shape[a]);
            }
            int o = 0;
            for (int d = 0; d < is.length; d++) {
                o += (d == a ? (int) v : m[d]) * strides[d];
            }
            off[i] = o;
            for (int d = is.length - 1; d >= 0; d--) {
                if (++m[d] < is[d]) {
                    break;
                }
                m[d] = 0;
            }
        }
        return Gather.of(shape, is, off);
    }

    /** Checks an index array for gather/scatter along {@code axis}; returns the normalised axis. */
    static int checkIndex(String op, int[] shape, int axis, NDArray index, int[] other, String otherName) {
        if (!index.dtype().isInteger()) {
            throw new IllegalArgumentException(op + "(): Expected dtype int64 for index, but got " + index.dtype().numpyName()
                    + " (shape " + Shapes.str(index.shape()) + "); convert it with astype(DType.INT64)");
        }
        int a = Shapes.axis(op, axis, shape.length);
        int[] is = index.shape();
        if (is.length != shape.length) {
            throw new IllegalArgumentException(op + ": Index tensor must have the same number of dimensions as input "
                    + "tensor: index " + Shapes.str(is) + ", input " + Shapes.str(shape));
        }
        for (int d = 0; d < is.length; d++) {
            if (d != a && is[d] > shape[d]) {
                throw new IllegalArgumentException(op + ": Size does not match at dimension " + d + " expected index "
                        + Shapes.str(is) + " to be smaller than self " + Shapes.str(shape) + " apart from dimension " + a);
            }
            if (other != null && is[d] > other[d]) {
                throw new IllegalArgumentException(op + ": Size does not match at dimension " + d + " expected index "
                        + Shapes.str(is) + " to be smaller than " + otherName + " " + Shapes.str(other));
            }
        }
        return a;
    }

    /**
     * The permutation that sorts every lane along {@code axis} (stably; NaN counts as the largest,
     * -0.0 equals 0.0, as PyTorch's {@code sort(stable=True)}), as positions along the axis.
     */
    public static long[] argsort(NDArray x, int axis, boolean descending) {
        int[] shape = x.shape();
        if (shape.length == 0) {
            return new long[] {0};
        }
        int a = Shapes.axis("sort", axis, shape.length);
        double[] v = x.astype(DType.FLOAT64).toArray();
        int d = shape[a];
        int inner = 1;
        for (int k = a + 1; k < shape.length; k++) {
            inner *= shape[k];
        }
        int outer = d == 0 ? 0 : v.length / (d * inner);
        long[] res = new long[v.length];
        int[] p = new int[d];
        int[] tmp = new int[d];
        double[] lane = new double[d];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * d * inner + in;
                for (int i = 0; i < d; i++) {
                    p[i] = i;
                    lane[i] = v[base + i * inner];
                }
                mergeSort(p, tmp, 0, d, lane, descending);
                for (int i = 0; i < d; i++) {
                    res[base + i * inner] = p[i];
                }
            }
        }
        return res;
    }

    /** Stable merge sort of the positions {@code p[lo, hi)} by their keys (no boxing). */
    private static void mergeSort(int[] p, int[] tmp, int lo, int hi, double[] key, boolean descending) {
        if (hi - lo < 2) {
            return;
        }
        if (hi - lo <= 16) { // insertion sort: stable, since it shifts only strictly greater elements
            for (int i = lo + 1; i < hi; i++) {
                int v = p[i];
                int j = i - 1;
                while (j >= lo && order(key, p[j], v, descending) > 0) {
                    p[j + 1] = p[j];
                    j--;
                }
                p[j + 1] = v;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(p, tmp, lo, mid, key, descending);
        mergeSort(p, tmp, mid, hi, key, descending);
        if (order(key, p[mid - 1], p[mid], descending) <= 0) {
            return;
        }
        System.arraycopy(p, lo, tmp, lo, hi - lo);
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
            if (j >= hi || (i < mid && order(key, tmp[i], tmp[j], descending) <= 0)) {
                p[k] = tmp[i++];
            } else {
                p[k] = tmp[j++];
            }
        }
    }

    private static int order(double[] key, int a, int b, boolean descending) {
        return descending ? compare(key[b], key[a]) : compare(key[a], key[b]);
    }

    private static int compare(double a, double b) {
        boolean na = Double.isNaN(a);
        boolean nb = Double.isNaN(b);
        if (na || nb) {
            return na == nb ? 0 : na ? 1 : -1;
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }
    /**
     * Where PyTorch's {@code scatter(input, dim, index, src)} writes: {@code {targets, sources}},
     * flat offsets into the input and into {@code src}, with repeated targets resolved so the last
     * write (in row-major index order) wins and only it is listed.
     */
    public static int[][] scatter(int[] shape, int axis, NDArray index, int[] srcShape) {
        int a = checkIndex("scatter", shape, axis, index, srcShape, "src");
        long[] ix = index.toLongArray();
        int[] is = index.shape();
        int[] strides = Shapes.strides(shape);
        int[] sstrides = Shapes.strides(srcShape);
        int[] targets = new int[ix.length];
        int[] sources = new int[ix.length];
        int[] m = new int[is.length];
        for (int i = 0; i < ix.length; i++) {
            long v = ix[i];
            if (v < 0 || v >= shape[a]) {
                throw new IndexOutOfBoundsException("scatter: index " + v + " is out of bounds for dimension " + axis
                        + " with size " + shape[a]);
            }
            int o = 0;
            int so = 0;
            for (int d = 0; d < is.length; d++) {
                o += (d == a ? (int) v : m[d]) * strides[d];
                so += m[d] * sstrides[d];
            }
            targets[i] = o;
            sources[i] = so;
            for (int d = is.length - 1; d >= 0; d--) {
                if (++m[d] < is[d]) {
                    break;
                }
                m[d] = 0;
            }
        }
        return lastWins(Shapes.size(shape), targets, sources);
    }

    /**
     * Keeps, for every repeated target, only its last (target, source) pair: the pairs an
     * out-of-place overwrite applies, in target order of first appearance of the winners.
     */
    public static int[][] lastWins(int size, int[] targets, int[] sources) {
        int[] last = new int[size];
        Arrays.fill(last, -1);
        for (int i = 0; i < targets.length; i++) {
            last[targets[i]] = i;
        }
        int k = 0;
        for (int i = 0; i < targets.length; i++) {
            if (last[targets[i]] == i) {
                k++;
            }
        }
        int[] t = new int[k];
        int[] s = new int[k];
        k = 0;
        for (int i = 0; i < targets.length; i++) {
            if (last[targets[i]] == i) {
                t[k] = targets[i];
                s[k++] = sources[i];
            }
        }
        return new int[][] {t, s};
    }

    /**
     * For constant padding with per-axis {@link #padTables}: {@code {padded, source}} flat offsets
     * of every padded element that reads the source (the others hold the constant).
     */
    public static int[][] constantPad(int[] shape, int[][] tables) {
        int n = shape.length;
        int[] strides = Shapes.strides(shape);
        int[] out = new int[n];
        for (int a = 0; a < n; a++) {
            out[a] = tables[a].length;
        }
        int size = Shapes.size(out);
        int[] dst = new int[size];
        int[] src = new int[size];
        int k = 0;
        int[] idx = new int[n];
        for (int i = 0; i < size; i++) {
            int off = 0;
            boolean inside = true;
            for (int a = 0; a < n; a++) {
                int t = tables[a][idx[a]];
                inside &= t >= 0;
                off += t * strides[a];
            }
            if (inside) {
                dst[k] = i;
                src[k++] = off;
            }
            for (int a = n - 1; a >= 0; a--) {
                if (++idx[a] < out[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return new int[][] {Arrays.copyOf(dst, k), Arrays.copyOf(src, k)};
    }
}
