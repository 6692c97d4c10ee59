package dev.nabla.ndarray;

import java.util.Arrays;

/** Static helpers for shapes: sizes, strides, broadcasting and axis normalisation. */
public final class Shapes {
    private Shapes() {}

    /** Number of elements of a shape (1 for the scalar shape {@code ()}). */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + str(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    /** Row-major strides of a contiguous array with this shape. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** A shape as NumPy prints it: {@code (2, 3)}, {@code (4,)}, {@code ()}. */
    public static String str(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /** A shape written with 'x' the way PyTorch writes matrix shapes: {@code 2x3}. */
    public static String x(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(shape[i]);
        }
        return sb.toString();
    }

    /**
     * The NumPy broadcast of two shapes, or an exception naming the operation and both shapes.
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        if (Arrays.equals(a, b)) {
            return a;
        }
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast together: size " + da + " of dimension " + (i - (n - a.length))
                        + " of the first does not match size " + db + " of dimension " + (i - (n - b.length))
                        + " of the second (sizes must be equal or one of them 1)");
            }
        }
        return out;
    }

    /** Normalises a possibly negative axis against {@code ndim}, or throws naming the operation. */
    public static int axis(String op, int axis, int ndim) {
        int n = Math.max(ndim, 1); // a 0-d array accepts 0 and -1, as in PyTorch
        int a = axis < 0 ? axis + n : axis;
        if (a < 0 || a >= n) {
            throw new IndexOutOfBoundsException(op + ": dimension out of range (expected to be in range of ["
                    + (-Math.max(ndim, 1)) + ", " + (Math.max(ndim, 1) - 1) + "], but got " + axis + ")");
        }
        return a;
    }

    /**
     * Normalised, sorted, duplicate-free axes; {@code null} or empty means every axis. A 0-d array
     * accepts dim 0 or -1 and has no axis to reduce.
     */
    public static int[] axes(String op, int[] axes, int ndim) {
        if (ndim == 0 && axes != null) {
            // a 0-d array accepts dim 0 or -1 (as PyTorch does) and has nothing to reduce
            for (int a : axes) {
                axis(op, a, 0);
            }
            return new int[0];
        }
        if (axes == null || axes.length == 0) {
            int[] all = new int[ndim];
            for (int i = 0; i < ndim; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(op, axes[i], ndim);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": dimension " + out[i] + " appears multiple times in the list of dims "
                        + Arrays.toString(axes));
            }
        }
        return out;
    }

    /** True when {@code shape} can be broadcast to {@code target}. */
    public static boolean broadcastable(int[] shape, int[] target) {
        if (shape.length > target.length) {
            return false;
        }
        int off = target.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 1 && shape[i] != target[i + off]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks the piece sizes of a split of dimension {@code axis} (normalised) of {@code shape}:
     * each must be non-negative and together they must add up to the dimension's size, so that the
     * pieces tile it without overlap or gap. Throws naming {@code op}, the sizes and the axis length.
     */
    public static void checkSplitSizes(String op, int[] sizes, int[] shape, int axis) {
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] < 0) {
                throw new IllegalArgumentException(op + ": split sizes " + Arrays.toString(sizes)
                        + " must be non-negative, but size " + i + " is " + sizes[i] + " (dimension " + axis
                        + " of shape " + str(shape) + " has size " + shape[axis] + ")");
            }
            total += sizes[i];
        }
        if (total != shape[axis]) {
            throw new IllegalArgumentException(op + ": split sizes " + Arrays.toString(sizes) + " add up to " + total
                    + " but dimension " + axis + " of shape " + str(shape) + " has size " + shape[axis]
                    + "; give sizes that add up to " + shape[axis]);
        }
    }

    /** Validates a shape (no negative sizes) and returns a defensive copy. */
    static int[] checked(String op, int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension " + d + " in shape " + str(shape));
            }
        }
        return shape.clone();
    }
}
