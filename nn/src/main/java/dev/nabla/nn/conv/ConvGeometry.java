package dev.nabla.nn.conv;

import dev.nabla.ndarray.Shapes;
import java.util.Arrays;

/**
 * The sliding-window geometry shared by convolution and pooling: kernel size, stride, padding and
 * dilation per spatial axis, plus the operation's name for error messages. It validates an input
 * of shape (N, C, H, W) and computes the output size
 * {@code OH = (H + 2P - D(K-1) - 1)/S + 1}, which must be a whole positive number: a window that
 * would not fit exactly is an error that shows the formula with the values, never a silent crop.
 * Immutable and thread-safe.
 */
public final class ConvGeometry {
    private final String op;
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final int ph;
    private final int pw;
    private final int dh;
    private final int dw;

    /**
     * A geometry for operation {@code op} (named in errors). Kernel, stride and dilation must be at
     * least 1 and padding at least 0.
     */
    public ConvGeometry(String op, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        this.op = op;
        requireAtLeast("kernel size", kh, kw, 1);
        requireAtLeast("stride", sh, sw, 1);
        requireAtLeast("padding", ph, pw, 0);
        requireAtLeast("dilation", dh, dw, 1);
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.ph = ph;
        this.pw = pw;
        this.dh = dh;
        this.dw = dw;
    }

    /** A geometry from per-axis pairs {height, width}; a 1-element array means the same value for both axes. */
    public static ConvGeometry of(String op, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        int[] k = pair(op, "kernel size", kernel);
        int[] s = pair(op, "stride", stride);
        int[] p = pair(op, "padding", padding);
        int[] d = pair(op, "dilation", dilation);
        return new ConvGeometry(op, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1]);
    }

    /** A square geometry: the same kernel, stride, padding and dilation on both axes. */
    public static ConvGeometry square(String op, int kernel, int stride, int padding, int dilation) {
        return new ConvGeometry(op, kernel, kernel, stride, stride, padding, padding, dilation, dilation);
    }

    private static int[] pair(String op, String what, int[] v) {
        if (v == null || v.length < 1 || v.length > 2) {
            throw new IllegalArgumentException(op + ": " + what + " must have 1 or 2 values (height, width), but got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    private void requireAtLeast(String what, int a, int b, int min) {
        if (a < min || b < min) {
            throw new IllegalArgumentException(op + ": " + what + " must be at least " + min + " on both axes, but got ("
                    + a + ", " + b + ")");
        }
    }

    /** The operation's name used in errors. */
    public String op() {
        return op;
    }

    /** Kernel height. */
    public int kh() {
        return kh;
    }

    /** Kernel width. */
    public int kw() {
        return kw;
    }

    /** Vertical stride. */
    public int sh() {
        return sh;
    }

    /** Horizontal stride. */
    public int sw() {
        return sw;
    }

    /** Zero padding added above and below. */
    public int ph() {
        return ph;
    }

    /** Zero padding added left and right. */
    public int pw() {
        return pw;
    }

    /** Vertical dilation (spacing between kernel taps). */
    public int dh() {
        return dh;
    }

    /** Horizontal dilation. */
    public int dw() {
        return dw;
    }

    /** The same geometry reporting errors under another operation name. */
    public ConvGeometry named(String otherOp) {
        return new ConvGeometry(otherOp, kh, kw, sh, sw, ph, pw, dh, dw);
    }

    /**
     * Checks that {@code shape} is (N, C, H, W) and that the window fits, and returns the output
     * spatial size {OH, OW}.
     */
    public int[] outputSize(int[] shape) {
        requireNchw(op, shape);
        return new int[] {
            outputLength("height", "H", shape[2], kh, sh, ph, dh, shape),
            outputLength("width", "W", shape[3], kw, sw, pw, dw, shape)
        };
    }

    /** Throws the standard error unless {@code shape} has 4 axes (N, C, H, W). */
    public static void requireNchw(String op, int[] shape) {
        if (shape.length != 4) {
            String hint = shape.length == 3
                    ? "; for a single image add a batch axis with x.unsqueeze(0)"
                    : shape.length == 2 ? "; reshape a flat batch with x.reshape(N, C, H, W)" : "";
            throw new IllegalArgumentException(op + ": expected a 4-D input (N, C, H, W), but got a " + shape.length
                    + "-D input of shape " + Shapes.str(shape) + hint);
        }
    }

    private int outputLength(String axis, String name, int in, int k, int s, int p, int d, int[] shape) {
        long span = (long) d * (k - 1) + 1; // long: a huge kernel, dilation or padding must not wrap around
        long padded = in + 2L * p;
        if (span > padded) {
            throw new IllegalArgumentException(op + ": calculated padded input size per channel: (" + (shape[2] + 2L * ph)
                    + " x " + (shape[3] + 2L * pw) + "). Kernel size: (" + kh + " x " + kw + ")"
                    + (dh == 1 && dw == 1 ? "" : " with dilation (" + dh + " x " + dw + ") spanning ("
                    + ((long) dh * (kh - 1) + 1) + " x " + ((long) dw * (kw - 1) + 1) + ")")
                    + ". Kernel size can't be greater than the padded input size (input " + Shapes.str(shape)
                    + ", padding (" + ph + ", " + pw + ")); use a smaller kernel or more padding");
        }
        long num = padded - span;
        if (num % s != 0) {
            throw new IllegalArgumentException(op + ": output " + axis + " O" + name + " = (" + name + " + 2P - D(K-1) - 1)/S + 1 = ("
                    + in + " + 2*" + p + " - " + d + "*(" + k + "-1) - 1)/" + s + " + 1 = " + num + "/" + s + " + 1 = "
                    + (num / (double) s + 1) + " is not a whole number (input " + Shapes.str(shape)
                    + "); choose padding or stride so that " + name + " + 2P - D(K-1) - 1 is divisible by S, or crop the input");
        }
        long length = num / s + 1;
        if (length > Shapes.MAX_SIZE) {
            throw new IllegalArgumentException(op + ": output " + axis + " O" + name + " = " + length + " (input "
                    + Shapes.str(shape) + ", padding " + p + ") is more than a Nabla array holds (" + Shapes.MAX_SIZE
                    + "); use less padding or a larger stride");
        }
        return (int) length;
    }

    @Override
    public String toString() {
        return op + "(kernel=(" + kh + ", " + kw + "), stride=(" + sh + ", " + sw + "), padding=(" + ph + ", " + pw
                + "), dilation=(" + dh + ", " + dw + "))";
    }
}
