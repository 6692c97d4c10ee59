package dev.nabla.nn.conv;

import dev.nabla.ndarray.Shapes;
import java.util.Arrays;

/**
 * The sliding-window geometry shared by convolution and pooling: kernel size, stride, padding and
 * dilation per spatial axis, whether output sizes round up (pooling's {@code ceilMode}), plus the
 * operation's name for error messages. It validates an input of shape (N, C, H, W) and computes
 * the output size as PyTorch does: {@code OH = floor((H + 2P - D(K-1) - 1)/S) + 1}. A window that
 * does not tile the input is not an error: the bottom rows and right columns that no window
 * reaches are ignored (their input gradient is zero).
 *
 * <p>A pooling geometry ({@link #pooling}) may round up instead ({@code ceilMode}):
 * {@code OH = ceil((H + 2P - D(K-1) - 1)/S) + 1}, minus one when the last window would start at or
 * past {@code H + P} (PyTorch's rule: every window starts inside the input or its left/top
 * padding); such a last window may run past the padded input, and its taps there are skipped. An
 * output size below 1 is an error in PyTorch's words ("Given input size: (3x2x2). Calculated output
 * size: (3x0x0). Output size is too small"); a convolution whose kernel exceeds the padded input
 * gets PyTorch's convolution message instead.
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
    private final boolean pooling;
    private final boolean ceilMode;

    /**
     * A convolution geometry for operation {@code op} (named in errors), output sizes rounded down.
     * Kernel, stride and dilation must be at least 1 and padding at least 0.
     */
    public ConvGeometry(String op, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        this(op, kh, kw, sh, sw, ph, pw, dh, dw, false, false);
    }

    private ConvGeometry(String op, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, boolean pooling,
                         boolean ceilMode) {
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
        this.pooling = pooling;
        this.ceilMode = ceilMode;
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

    /**
     * A pooling geometry from per-axis pairs (as {@link #of}): output sizes follow PyTorch's pooling
     * rule, rounded up when {@code ceilMode}, and a too-small output gets pooling's error message.
     * The pooling-only checks on padding are {@link #pooling(String, int[], PoolOptions)}'s.
     */
    public static ConvGeometry pooling(String op, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                       boolean ceilMode) {
        int[] k = pair(op, "kernel size", kernel);
        int[] s = pair(op, "stride", stride);
        int[] p = pair(op, "padding", padding);
        int[] d = pair(op, "dilation", dilation);
        return new ConvGeometry(op, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], true, ceilMode);
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

    /** Whether this is a pooling geometry (PyTorch's pooling output rule and error message). */
    public boolean isPooling() {
        return pooling;
    }

    /** Whether output sizes round up (pooling's {@code ceilMode}); always false for a convolution. */
    public boolean ceilMode() {
        return ceilMode;
    }

    /**
     * Whether some window of an input of spatial size {@code h} by {@code w} reaches past the padded
     * input (possible only with {@code ceilMode}); such windows' taps there are skipped.
     */
    boolean overrunsPadding(int h, int w, int[] o) {
        return (long) (o[0] - 1) * sh + (long) dh * (kh - 1) >= h + 2L * ph
                || (long) (o[1] - 1) * sw + (long) dw * (kw - 1) >= w + 2L * pw;
    }

    /** The same geometry reporting errors under another operation name. */
    public ConvGeometry named(String otherOp) {
        return new ConvGeometry(otherOp, kh, kw, sh, sw, ph, pw, dh, dw, pooling, ceilMode);
    }

    /**
     * Checks that {@code shape} is (N, C, H, W) and that at least one window fits, and returns the
     * output spatial size {OH, OW} (see the class comment for the formula).
     */
    public int[] outputSize(int[] shape) {
        requireNchw(op, shape);
        long oh = outputLength("height", "H", shape[2], kh, sh, ph, dh, shape);
        long ow = outputLength("width", "W", shape[3], kw, sw, pw, dw, shape);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": Given input size: (" + shape[1] + "x" + shape[2] + "x" + shape[3]
                    + "). Calculated output size: (" + shape[1] + "x" + oh + "x" + ow + "). Output size is too small ("
                    + this + "); use a smaller kernel, stride or dilation, more padding, or a larger input");
        }
        return new int[] {(int) oh, (int) ow};
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

    /** The output length along one axis; below 1 only for pooling (the caller reports it). */
    private long outputLength(String axis, String name, int in, int k, int s, int p, int d, int[] shape) {
        long span = (long) d * (k - 1) + 1; // long: a huge kernel, dilation or padding must not wrap around
        long padded = in + 2L * p;
        if (!pooling && span > padded) {
            throw new IllegalArgumentException(op + ": calculated padded input size per channel: (" + (shape[2] + 2L * ph)
                    + " x " + (shape[3] + 2L * pw) + "). Kernel size: (" + kh + " x " + kw + ")"
                    + (dh == 1 && dw == 1 ? "" : " with dilation (" + dh + " x " + dw + ") spanning ("
                    + ((long) dh * (kh - 1) + 1) + " x " + ((long) dw * (kw - 1) + 1) + ")")
                    + ". Kernel size can't be greater than the padded input size (input " + Shapes.str(shape)
                    + ", padding (" + ph + ", " + pw + ")); use a smaller kernel or more padding");
        }
        long num = padded - span;
        long length = Math.floorDiv(num + (ceilMode ? s - 1 : 0), s) + 1;
        if (ceilMode && (length - 1) * s >= in + (long) p) {
            length--; // the last window would start in the right/bottom padding: PyTorch drops it
        }
        if (length > Shapes.MAX_SIZE) {
            throw new IllegalArgumentException(op + ": output " + axis + " O" + name + " = " + length + " (input "
                    + Shapes.str(shape) + ", padding " + p + ") is more than a Nabla array holds (" + Shapes.MAX_SIZE
                    + "); use less padding or a larger stride");
        }
        return length;
    }

    @Override
    public String toString() {
        return op + "(kernel=(" + kh + ", " + kw + "), stride=(" + sh + ", " + sw + "), padding=(" + ph + ", " + pw
                + "), dilation=(" + dh + ", " + dw + ")" + (ceilMode ? ", ceil_mode=True" : "") + ")";
    }

    /**
     * The checked geometry of max pooling with {@code kernel} and {@code options}: as
     * {@link #pooling(String, int[], PoolOptions)}, and refusing the average-only settings.
     */
    public static ConvGeometry maxPool(int[] kernel, PoolOptions options) {
        ConvGeometry g = pooling("MaxPool2d", kernel, options);
        if (options.hasAverageSettings()) {
            throw new IllegalArgumentException("MaxPool2d: countIncludePad and divisorOverride are average-pooling"
                    + " settings, but got " + options + "; use AvgPool2d for them, or leave them at their defaults");
        }
        return g;
    }

    /**
     * The checked geometry of average pooling with {@code kernel} and {@code options}: as
     * {@link #pooling(String, int[], PoolOptions)}, and refusing dilation (PyTorch's average
     * pooling has none).
     */
    public static ConvGeometry avgPool(int[] kernel, PoolOptions options) {
        ConvGeometry g = pooling("AvgPool2d", kernel, options);
        AvgPool2dNode.requireNoDilation(g);
        return g;
    }

    /**
     * The geometry of pooling op {@code op} with kernel {@code kernel} and {@code options}' stride
     * (null: the kernel), padding, dilation and ceilMode, checking PyTorch's padding rule: at most
     * half the kernel on each axis.
     */
    public static ConvGeometry pooling(String op, int[] kernel, PoolOptions options) {
        int[] stride = options.stride();
        ConvGeometry g = pooling(op, kernel, stride == null ? kernel : stride, options.padding(),
                options.dilation(), options.ceilMode());
        if (2 * g.ph() > g.kh() || 2 * g.pw() > g.kw()) {
            throw new IllegalArgumentException(op + ": padding should be at most half of the kernel size, but got padding ("
                    + g.ph() + ", " + g.pw() + ") for kernel size (" + g.kh() + ", " + g.kw() + ")");
        }
        return g;
    }
}
