package dev.nabla.ndarray;

import java.util.Arrays;

/**
 * Static helpers for shapes: sizes, strides, broadcasting and axis normalisation. Every element
 * count of a shape goes through {@link #size}, which refuses negative dimensions and counts beyond
 * {@link #MAX_SIZE} (a Java array's limit) instead of wrapping around.
 * Stateless and thread-safe.
 */
public final class Shapes {
    private Shapes() {}

    /** The most elements a Nabla array holds: {@code Integer.MAX_VALUE}, the length limit of a Java array. */
    public static final int MAX_SIZE = Integer.MAX_VALUE;

    /**
     * Number of elements of a shape (1 for the scalar shape {@code ()}), or an
     * {@link IllegalArgumentException} naming the shape when a dimension is negative or the
     * product exceeds {@link #MAX_SIZE}.
     */
    public static int size(int[] shape) {
        return size(null, shape);
    }

    /**
     * {@link #size(int[])} whose error names the operation {@code op} (null for none), e.g.
     * {@code "zeros: shape [65536, 65536, 65536, 65536] has 1.8e19 elements; a Nabla array holds at
     * most 2147483647 ..."}.
     */
    public static int size(String op, int[] shape) {
        boolean empty = false;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException(prefix(op) + "shape " + Arrays.toString(shape) + " has a negative "
                        + "dimension " + shape[i] + " at index " + i + "; every dimension must be >= 0");
            }
            empty |= shape[i] == 0;
        }
        if (empty) {
            return 0;
        }
        long n = 1;
        for (int d : shape) {
            n *= d; // n <= MAX_SIZE and d <= MAX_SIZE here, so the long product cannot wrap
            if (n > MAX_SIZE) {
                throw tooLarge(op, shape);
            }
        }
        return (int) n;
    }

    /**
     * The element count of the shape {@code dims} as {@link #size(String, int[])}: for the places
     * that multiply dimensions to size a buffer (matrix products, convolution columns).
     */
    public static int product(String op, int... dims) {
        return size(op, dims);
    }

    private static String prefix(String op) {
        return op == null ? "" : op + ": ";
    }

    private static IllegalArgumentException tooLarge(String op, int[] shape) {
        java.math.BigInteger n = java.math.BigInteger.ONE;
        for (int d : shape) {
            n = n.multiply(java.math.BigInteger.valueOf(d));
        }
        return new IllegalArgumentException(prefix(op) + "shape " + Arrays.toString(shape) + " has " + count(n)
                + " elements; a Nabla array holds at most " + MAX_SIZE + " (the length limit of a Java array); "
                + "use smaller dimensions or split the data into batches");
    }

    /** An exact count below 10^15, else one decimal and an exponent: {@code 1.8e19}. */
    private static String count(java.math.BigInteger n) {
        if (n.bitLength() < 50) {
            return n.toString();
        }
        String digits = n.toString();
        int exp = digits.length() - 1;
        java.math.BigDecimal m = new java.math.BigDecimal(n).movePointLeft(exp)
                .setScale(1, java.math.RoundingMode.HALF_UP);
        if (m.compareTo(java.math.BigDecimal.TEN) >= 0) {
            m = m.movePointLeft(1).setScale(1, java.math.RoundingMode.HALF_UP);
            exp++;
        }
        return m.toPlainString() + "e" + exp;
    }

    /**
     * Row-major strides of a contiguous array with this shape. The shape must have a valid
     * {@link #size}; for an empty array (a zero dimension) a stride that would exceed
     * {@link #MAX_SIZE} is clamped to it, since no element is ever addressed.
     */
    public static int[] strides(int[] shape) {
        size(shape);
        int[] s = new int[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = (int) Math.min(acc, MAX_SIZE);
            acc = Math.min(acc * shape[i], MAX_SIZE);
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
        size(op, out);
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

    /**
     * Validates a shape (no negative dimension, at most {@link #MAX_SIZE} elements) and returns a
     * defensive copy; errors name {@code op}.
     */
    static int[] checked(String op, int[] shape) {
        size(op, shape);
        return shape.clone();
    }
}
