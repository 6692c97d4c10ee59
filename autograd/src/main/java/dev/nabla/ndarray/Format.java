package dev.nabla.ndarray;

/**
 * NumPy-like printing: nested brackets, summarised with "..." beyond 1000 elements, then the shape
 * and, for float32, {@code dtype=float32} (NumPy names the dtype when it is not the default).
 */
final class Format {
    private Format() {}

    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    static String format(NDArray a) {
        boolean integral = true;
        int size = a.size();
        for (int i = 0; i < size; i++) {
            double v = a.getFlat(i);
            integral &= v == Math.rint(v) && Math.abs(v) < 1e15;
        }
        StringBuilder sb = new StringBuilder("array(");
        if (a.shape.length == 0) {
            sb.append(num(a.getFlat(0), integral));
        } else {
            append(sb, a, 0, 0, integral, size > THRESHOLD, "      ");
        }
        sb.append(", shape=").append(Shapes.str(a.shape));
        if (a.dtype() != DType.FLOAT64) {
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
                sb.append(num(a.getFlat(offset + i), integral));
            } else {
                append(sb, a, axis + 1, offset + i * stride, integral, summarise, indent + " ");
            }
            if (i < n - 1) {
                sb.append(axis == a.shape.length - 1 ? ", " : ",\n" + indent + " ");
            }
        }
        sb.append(']');
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
