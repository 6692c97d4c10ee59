package dev.nabla.ndarray;

import java.util.ArrayList;
import java.util.List;

/**
 * A resolved index: for every element of the result, the flat offset it reads in the source.
 * Gathering by it is {@code getItem}; scatter-adding by it is the adjoint used in backward.
 * Immutable and thread-safe.
 */
public final class Gather {
    private final int[] sourceShape;
    private final int[] resultShape;
    /** Flat source offset of every result element, or null when they are {@code from, from+1, ...}. */
    private final int[] offsets;
    /** With {@code offsets == null}: the first of the contiguous source offsets. */
    private final int from;

    private Gather(int[] sourceShape, int[] resultShape, int[] offsets) {
        this.sourceShape = sourceShape;
        this.resultShape = resultShape;
        this.offsets = offsets;
        this.from = -1;
    }

    /** A gather of one contiguous block: {@code Shapes.size(resultShape)} elements from {@code from}. */
    private Gather(int[] sourceShape, int[] resultShape, int from) {
        this.sourceShape = sourceShape;
        this.resultShape = resultShape;
        this.offsets = null;
        this.from = from;
    }

    /**
     * A gather reading {@code offsets[i]} (a flat row-major position in {@code sourceShape}) for
     * result element {@code i}: the building block of index-map ops (flip, roll, repeat, pad,
     * gather, sort) whose backward is {@link #scatterAdd}. The arrays are copied.
     */
    public static Gather of(int[] sourceShape, int[] resultShape, int[] offsets) {
        int n = Shapes.size(sourceShape);
        if (offsets.length != Shapes.size(resultShape)) {
            throw new IllegalArgumentException("Gather.of: " + offsets.length + " offsets for a result of shape "
                    + Shapes.str(resultShape) + " (size " + Shapes.size(resultShape) + "); pass one offset per element");
        }
        for (int o : offsets) {
            if (o < 0 || o >= n) {
                throw new IndexOutOfBoundsException("Gather.of: offset " + o + " is out of bounds for a source of shape "
                        + Shapes.str(sourceShape) + " (size " + n + ")");
            }
        }
        return new Gather(sourceShape.clone(), resultShape.clone(), offsets.clone());
    }

    /** The flat source offset every result element reads, in row-major result order (a new array). */
    public int[] offsets() {
        if (offsets != null) {
            return offsets.clone();
        }
        int[] o = new int[Shapes.size(resultShape)];
        for (int i = 0; i < o.length; i++) {
            o[i] = from + i;
        }
        return o;
    }

    /** Shape of the array indexed. */
    public int[] sourceShape() {
        return sourceShape.clone();
    }

    /** Shape of the result. */
    public int[] resultShape() {
        return resultShape.clone();
    }

    /** Reads {@code src} at the resolved offsets (the result has src's dtype). */
    public NDArray gather(NDArray src) {
        if (src.xdata != null) {
            if (offsets == null) {
                int n = Shapes.size(resultShape);
                Object out = Storage.alloc(src.dtype(), n);
                System.arraycopy(src.xdata, from, out, 0, n);
                return new NDArray(resultShape.clone(), src.dtype(), out);
            }
            return new NDArray(resultShape.clone(), src.dtype(), Storage.gather(src.xdata, offsets));
        }
        if (offsets == null) {
            int n = Shapes.size(resultShape);
            if (src.data == null) {
                float[] out = new float[n];
                System.arraycopy(src.fdata, from, out, 0, n);
                return new NDArray(resultShape.clone(), out);
            }
            double[] out = new double[n];
            System.arraycopy(src.data, from, out, 0, n);
            return new NDArray(resultShape.clone(), out);
        }
        if (src.data == null) {
            float[] s = src.fdata;
            float[] out = new float[offsets.length];
            for (int i = 0; i < offsets.length; i++) {
                out[i] = s[offsets[i]];
            }
            return new NDArray(resultShape.clone(), out);
        }
        double[] s = src.data;
        double[] out = new double[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            out[i] = s[offsets[i]];
        }
        return new NDArray(resultShape.clone(), out);
    }

    /**
     * The adjoint of {@link #gather}: a zero array of the source shape (and g's dtype) with
     * {@code g} added at the offsets; float32 accumulates repeated offsets in float32, in order.
     */
    public NDArray scatterAdd(NDArray g) {
        if (g.xdata != null) { // other dtypes (gradients are float64 or float32): in float64, converted back
            return scatterAdd(g.astype(DType.FLOAT64)).astype(g.dtype());
        }
        if (offsets == null) { // distinct offsets: a copy into zeros is the sum
            int n = Shapes.size(resultShape);
            if (g.data == null) {
                float[] out = new float[Shapes.size(sourceShape)];
                System.arraycopy(g.fdata, 0, out, from, n);
                return new NDArray(sourceShape.clone(), out);
            }
            double[] out = new double[Shapes.size(sourceShape)];
            System.arraycopy(g.data, 0, out, from, n);
            return new NDArray(sourceShape.clone(), out);
        }
        if (g.data == null) {
            float[] out = new float[Shapes.size(sourceShape)];
            float[] gs = g.fdata;
            for (int i = 0; i < offsets.length; i++) {
                out[offsets[i]] += gs[i];
            }
            return new NDArray(sourceShape.clone(), out);
        }
        double[] out = new double[Shapes.size(sourceShape)];
        double[] gs = g.data;
        for (int i = 0; i < offsets.length; i++) {
            out[offsets[i]] += gs[i];
        }
        return new NDArray(sourceShape.clone(), out);
    }

    /** Resolves a NumPy-style index against {@code shape}; missing trailing axes mean {@link Index#all()}. */
    public static Gather resolve(int[] shape, Index... index) {
        if (index.length > shape.length) {
            throw new IndexOutOfBoundsException("getItem: too many indices for array: array is " + shape.length
                    + "-dimensional, but " + index.length + " were indexed");
        }
        int n = shape.length;
        int[] strides = Shapes.strides(shape);
        Gather block = leadingPoints(shape, strides, index);
        if (block != null) {
            return block;
        }
        // per axis: list of source positions, and whether the axis survives
        int[][] pos = new int[n][];
        int arrayLen = -1;
        for (int ax = 0; ax < n; ax++) {
            Index ix = ax < index.length ? index[ax] : Index.all();
            int d = shape[ax];
            switch (ix.kind) {
                case ALL:
                    pos[ax] = iota(0, d, 1);
                    break;
                case POINT:
                    pos[ax] = new int[] {checkPos(ix.start, d, ax)};
                    break;
                case RANGE: {
                    int s = clip(ix.start, d);
                    int e = clip(ix.stop, d);
                    pos[ax] = iota(s, Math.max(s, e), ix.step);
                    break;
                }
                default: {
                    if (ix.maskLength >= 0 && ix.maskLength != d) {
                        throw new IndexOutOfBoundsException("getItem: the shape of the mask [" + ix.maskLength + "] at index "
                                + ax + " does not match the shape of the indexed tensor [" + d + "] at index " + ax);
                    }
                    int[] p = new int[ix.positions.length];
                    for (int i = 0; i < p.length; i++) {
                        p[i] = checkPos(ix.positions[i], d, ax);
                    }
                    pos[ax] = p;
                    if (arrayLen >= 0 && arrayLen != p.length) {
                        throw new IllegalArgumentException("getItem: shape mismatch: indexing arrays could not be broadcast together with shapes ("
                                + arrayLen + ",) (" + p.length + ",)");
                    }
                    arrayLen = p.length;
                }
            }
        }
        // NumPy's rule: once an integer array is present, single positions count as advanced
        // indices too (they broadcast against the arrays). When all advanced indices sit on adjacent
        // axes, the zipped axis replaces them in place; otherwise it goes to the front.
        int firstArray = -1;
        int lastArray = -1;
        boolean arraysAdjacent = true;
        for (int ax = 0; arrayLen >= 0 && ax < index.length; ax++) {
            Index.Kind k = index[ax].kind;
            if (k == Index.Kind.ARRAY || k == Index.Kind.POINT) {
                if (firstArray < 0) {
                    firstArray = ax;
                } else if (lastArray != ax - 1) {
                    arraysAdjacent = false;
                }
                lastArray = ax;
            }
        }
        // Result axes: non-point, non-array axes in order; the zipped array axis at the first array
        // axis when all array axes are adjacent, else in front (NumPy's rule).
        List<Integer> resultDims = new ArrayList<>();
        List<int[]> contributions = new ArrayList<>(); // per result axis: offset per position (array axis: summed)
        int base = 0;
        int arrayInsert = arraysAdjacent ? -2 : -1;
        int[] arrayContribution = null;
        if (arrayLen >= 0) {
            arrayContribution = new int[arrayLen];
        }
        for (int ax = 0; ax < n; ax++) {
            Index ix = ax < index.length ? index[ax] : Index.all();
            if (ax == firstArray && arraysAdjacent) {
                arrayInsert = resultDims.size();
                resultDims.add(arrayLen);
                contributions.add(null);
            }
            if (ix.kind == Index.Kind.POINT) {
                base += pos[ax][0] * strides[ax];
            } else if (ix.kind == Index.Kind.ARRAY) {
                for (int i = 0; i < arrayLen; i++) {
                    arrayContribution[i] += pos[ax][i] * strides[ax];
                }
            } else {
                int[] c = new int[pos[ax].length];
                for (int i = 0; i < c.length; i++) {
                    c[i] = pos[ax][i] * strides[ax];
                }
                resultDims.add(c.length);
                contributions.add(c);
            }
        }
        if (arrayLen >= 0 && !arraysAdjacent) {
            arrayInsert = 0;
            resultDims.add(0, arrayLen);
            contributions.add(0, null);
        }
        if (arrayInsert >= 0) {
            contributions.set(arrayInsert, arrayContribution);
        }
        int[] rshape = new int[resultDims.size()];
        for (int i = 0; i < rshape.length; i++) {
            rshape[i] = resultDims.get(i);
        }
        int size = Shapes.size(rshape);
        int[] offsets = new int[size];
        if (size > 0) {
            int r = rshape.length;
            int[] counter = new int[r];
            for (int i = 0; i < size; i++) {
                int off = base;
                for (int a = 0; a < r; a++) {
                    off += contributions.get(a)[counter[a]];
                }
                offsets[i] = off;
                for (int a = r - 1; a >= 0; a--) {
                    if (++counter[a] < rshape[a]) {
                        break;
                    }
                    counter[a] = 0;
                }
            }
        }
        return new Gather(shape.clone(), rshape, offsets);
    }

    /**
     * The common cases {@code x[i]}, {@code x[i, j]}, ... and {@code x[i, a:b]}, {@code x[a:b]}:
     * single positions on the leading axes, then at most one step-1 range (or full axis), then only
     * full axes, which select one contiguous block (a time step of a sequence, a row, the slice a
     * concat's backward hands each input); null for anything else.
     */
    private static Gather leadingPoints(int[] shape, int[] strides, Index[] index) {
        int base = 0;
        int ax = 0;
        while (ax < index.length && index[ax].kind == Index.Kind.POINT) {
            base += checkPos(index[ax].start, shape[ax], ax) * strides[ax];
            ax++;
        }
        if (ax == index.length) {
            return new Gather(shape.clone(), java.util.Arrays.copyOfRange(shape, index.length, shape.length), base);
        }
        Index first = index[ax];
        if (first.kind != Index.Kind.ALL && (first.kind != Index.Kind.RANGE || first.step != 1)) {
            return null;
        }
        for (int rest = ax + 1; rest < index.length; rest++) {
            if (index[rest].kind != Index.Kind.ALL) {
                return null;
            }
        }
        int d = shape[ax];
        int s = first.kind == Index.Kind.ALL ? 0 : clip(first.start, d);
        int e = first.kind == Index.Kind.ALL ? d : Math.max(s, clip(first.stop, d));
        int[] rshape = java.util.Arrays.copyOfRange(shape, ax, shape.length);
        rshape[0] = e - s;
        return new Gather(shape.clone(), rshape, base + s * strides[ax]);
    }

    private static int[] iota(int start, int stop, int step) {
        int n = stop > start ? (stop - start + step - 1) / step : 0;
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = start + i * step;
        }
        return p;
    }

    private static int clip(int i, int d) {
        int v = i < 0 ? i + d : i;
        return Math.max(0, Math.min(d, v));
    }

    private static int checkPos(int i, int d, int axis) {
        int v = i < 0 ? i + d : i;
        if (v < 0 || v >= d) {
            throw new IndexOutOfBoundsException("getItem: index " + i + " is out of bounds for dimension " + axis
                    + " with size " + d);
        }
        return v;
    }
}
