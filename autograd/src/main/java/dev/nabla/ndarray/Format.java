package dev.nabla.ndarray;

/**
 * NumPy-like printing: nested brackets, summarised with "..." beyond 1000 elements, then the shape
 * and the dtype unless it is a NumPy default (float64, int64, bool): {@code dtype=float32},
 * {@code dtype=int32}, ... Integers print exactly ({@code 3}, no decimal point), bools as
 * {@code True}/{@code False}.
 */
final class Format {
    private Format() {}

    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    static String format(NDArray a) {
        boolean exactInts = !a.dtype().isFloatingPoint();
        boolean integral = true;
        int size = a.size();
        for (int i = 0; !exactInts && i < size; i++) {
            double v = a.getFlat(i);
            integral &= v == Math.rint(v) && Math.abs(v) < 1e15;
        }
        StringBuilder sb = new StringBuilder("array(");
        if (a.shape.length == 0) {
            sb.append(text(a, 0, integral));
        } else {
            append(sb, a, 0, 0, integral, size > THRESHOLD, "      ");
        }
        sb.append(", shape=").append(Shapes.str(a.shape));
        if (a.dtype() != DType.FLOAT64 && a.dtype() != DType.INT64 && a.dtype() != DType.BOOL) {
            sb.append(", dtype=").append(a.dtype().numpyName());
        }
        return sb.append(')').toString();
    }

    private static void append(StringBuilder sb, NDArray a, int axis, int offset, boolean integral,
                               boolean summarise, String indent) {
        int n = a.shape[axis];
        int stride = 1;
        for (int i = axis + 1; i < a.shape.length; i++) {
            stride *= a.shape[i];
        }
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) {
                sb.append(axis == a.shape.length - 1 ? "..., " : "...,\n" + indent + " ");
                i = n - EDGE - 1;
                continue;
            }
            if (axis == a.shape.length - 1) {
                sb.append(text(a, offset + i, integral));
            } else {
                append(sb, a, axis + 1, offset + i * stride, integral, summarise, indent + " ");
            }
            if (i < n - 1) {
                sb.append(axis == a.shape.length - 1 ? ", " : ",\n" + indent + " ");
            }
        }
        sb.append(']');
    }

    private static String text(NDArray a, int i, boolean integral) {
        if (a.dtype() == DType.BOOL) {
            return a.getFlatLong(i) != 0 ? "True" : "False";
        }
        if (!a.dtype().isFloatingPoint()) {
            return Long.toString(a.getFlatLong(i));
        }
        return num(a.getFlat(i), integral);
    }

    private static String num(double v, boolean integral) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (integral) {
            return (long) v + ".";
        }
        double m = Math.abs(v);
        if (m != 0 && (m < 1e-4 || m >= 1e8)) {
            return String.format(java.util.Locale.ROOT, "%.4e", v);
        }
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
