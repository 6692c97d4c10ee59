package dev.nabla.ndarray;

import java.util.Arrays;

/**
 * One axis of a NumPy-style index for {@link NDArray#getItem}: all of the axis ({@link #all()}),
 * one position that drops the axis ({@link #at}), a strided range ({@link #range}), or an integer
 * array that gathers positions ({@link #of(int...)}). Negative positions count from the end.
 * Immutable and thread-safe. Position arrays are copied in and out.
 */
public final class Index {
    enum Kind { ALL, POINT, RANGE, ARRAY }

    final Kind kind;
    final int start;
    final int stop;
    final int step;
    final int[] positions;
    /** For an index made from a bool mask: the mask's length, which must equal the axis size; else -1. */
    final int maskLength;

    private Index(Kind kind, int start, int stop, int step, int[] positions) {
        this(kind, start, stop, step, positions, -1);
    }

    private Index(Kind kind, int start, int stop, int step, int[] positions, int maskLength) {
        this.kind = kind;
        this.start = start;
        this.stop = stop;
        this.step = step;
        this.positions = positions;
        this.maskLength = maskLength;
    }

    private static final Index ALL = new Index(Kind.ALL, 0, 0, 1, null);

    /** The whole axis, like {@code :}. */
    public static Index all() {
        return ALL;
    }

    /** One position; the axis is removed from the result, like {@code x[i]}. */
    public static Index at(int i) {
        return new Index(Kind.POINT, i, i + 1, 1, null);
    }

    /** Positions {@code start, start+1, ..., stop-1}, like {@code start:stop}. */
    public static Index range(int start, int stop) {
        return range(start, stop, 1);
    }

    /** Positions {@code start:stop:step} for a positive step; bounds are clipped as in NumPy. */
    public static Index range(int start, int stop, int step) {
        if (step <= 0) {
            throw new IllegalArgumentException("Index.range: step must be positive, got " + step);
        }
        return new Index(Kind.RANGE, start, stop, step, null);
    }

    /** Integer-array indexing along this axis (a gather); positions may repeat. */
    public static Index of(int... positions) {
        return new Index(Kind.ARRAY, 0, 0, 1, positions.clone());
    }

    /**
     * Integer-array indexing by a 1-D index array of an integer dtype (INT64, as PyTorch's index
     * tensors, INT32, INT16, INT8 or UINT8); a 0-d index array is one position, like {@link #at}.
     * Positions must fit in an int (an axis never has more elements). A 1-D BOOL mask selects the
     * positions where it is true, as PyTorch's {@code x[mask]}; its length must equal the axis size.
     */
    public static Index of(NDArray positions) {
        if (positions.dtype() == DType.BOOL && positions.ndim() == 1) { // PyTorch's x[mask] along one axis
            boolean[] m = positions.toBooleanArray();
            int count = 0;
            for (boolean b : m) {
                count += b ? 1 : 0;
            }
            int[] p = new int[count];
            for (int i = 0, k = 0; i < m.length; i++) {
                if (m[i]) {
                    p[k++] = i;
                }
            }
            return new Index(Kind.ARRAY, 0, 0, 1, p, m.length);
        }
        if (!positions.dtype().isInteger()) {
            throw new IllegalArgumentException("Index.of: tensors used as indices must be integer arrays (int64, int32, "
                    + "int16, int8 or uint8) or 1-D bool masks, but got dtype " + positions.dtype().numpyName() + " (shape "
                    + Shapes.str(positions.shape) + ")" + (positions.dtype() == DType.BOOL
                    ? "; for a bool mask of several dimensions use NDArray.maskedSelect" : "; convert with astype(DType.INT64)"));
        }
        if (positions.ndim() > 1) {
            throw new IllegalArgumentException("Index.of: the index array has shape " + Shapes.str(positions.shape)
                    + "; an Index takes a 1-D (or 0-d) position array (for index arrays of any shape along axis 0 use "
                    + "NDArray.take(NDArray) or Variable.take(NDArray))");
        }
        int[] p = positions.toIntPositions("Index.of");
        return positions.ndim() == 0 ? at(p[0]) : new Index(Kind.ARRAY, 0, 0, 1, p);
    }

    @Override
    public String toString() {
        switch (kind) {
            case ALL: return ":";
            case POINT: return Integer.toString(start);
            case RANGE: return start + ":" + stop + (step == 1 ? "" : ":" + step);
            default: return Arrays.toString(positions);
        }
    }
}
