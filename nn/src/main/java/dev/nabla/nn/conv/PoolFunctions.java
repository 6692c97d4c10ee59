package dev.nabla.nn.conv;

import dev.nabla.autograd.Variable;

/**
 * Functional 2-D pooling over (N, C, H, W) variables: max, average and global average. Kernel,
 * stride, padding and dilation are {height, width} pairs or one value for both axes; a null stride
 * means "same as the kernel" (non-overlapping windows), as in PyTorch. Output sizes are PyTorch's:
 * {@code OH = floor((H + 2P - D(K-1) - 1)/S) + 1} (rounded up with {@link PoolOptions#ceilMode}),
 * so a window need not tile the input (see {@link ConvGeometry}); the other settings are
 * {@link PoolOptions}'.
 * Stateless and thread-safe.
 */
public final class PoolFunctions {
    private PoolFunctions() {}

    /** Max pooling with a square kernel and stride equal to the kernel, no padding. */
    public static Variable maxPool2d(Variable x, int kernel) {
        return maxPool2d(x, new int[] {kernel}, PoolOptions.defaults());
    }

    /**
     * Max pooling: each output is the maximum of its window; the gradient goes to the position of
     * that maximum. Padding (at most half the kernel) never wins.
     */
    public static Variable maxPool2d(Variable x, int[] kernel, int[] stride, int[] padding) {
        return maxPool2d(x, kernel, PoolOptions.defaults().stride(stride).padding(padding));
    }

    /**
     * Max pooling with {@code options} (stride, padding, dilation, ceilMode; the average-only
     * settings are refused). Padding counts as minus infinity, so it never wins; a window with no
     * real input at all (possible only with dilation) gives minus infinity and passes no gradient.
     */
    public static Variable maxPool2d(Variable x, int[] kernel, PoolOptions options) {
        ConvGeometry g = maxPoolGeometry(kernel, options);
        g.outputSize(x.shape());
        return new MaxPool2dNode(g).apply(x);
    }

    /** Average pooling with a square kernel and stride equal to the kernel, no padding. */
    public static Variable avgPool2d(Variable x, int kernel) {
        return avgPool2d(x, new int[] {kernel}, PoolOptions.defaults());
    }

    /**
     * Average pooling: each output is its window's sum divided by KH·KW, zero padding included in
     * the count (PyTorch's default {@code count_include_pad=True}).
     */
    public static Variable avgPool2d(Variable x, int[] kernel, int[] stride, int[] padding) {
        return avgPool2d(x, kernel, PoolOptions.defaults().stride(stride).padding(padding));
    }

    /**
     * Average pooling with {@code options}: each output is its window's sum divided by the
     * divisor override if set, else by the window's size clipped to the padded input
     * ({@code countIncludePad}, the default; a ceilMode window running past the padded input
     * counts fewer cells), else by the number of real input cells in the window. Dilation is
     * refused, as in PyTorch.
     */
    public static Variable avgPool2d(Variable x, int[] kernel, PoolOptions options) {
        ConvGeometry g = avgPoolGeometry(kernel, options);
        g.outputSize(x.shape());
        return new AvgPool2dNode(g, options.countIncludePad(), options.divisorOrZero()).apply(x);
    }

    /**
     * Global average pooling: the mean over each channel's H×W plane, giving (N, C), or
     * (N, C, 1, 1) with {@code keepDims}. A composite of the mean, so every derivative order works.
     */
    public static Variable globalAvgPool2d(Variable x, boolean keepDims) {
        ConvGeometry.requireNchw("GlobalAvgPool2d", x.shape());
        return x.mean(new int[] {2, 3}, keepDims);
    }

    /**
     * The checked geometry of {@code MaxPool2d} with {@code kernel} and {@code options}: as
     * {@link #geometry(String, int[], PoolOptions)}, and refusing the average-only settings.
     */
    public static ConvGeometry maxPoolGeometry(int[] kernel, PoolOptions options) {
        ConvGeometry g = geometry("MaxPool2d", kernel, options);
        if (options.hasAverageSettings()) {
            throw new IllegalArgumentException("MaxPool2d: countIncludePad and divisorOverride are average-pooling"
                    + " settings, but got " + options + "; use AvgPool2d for them, or leave them at their defaults");
        }
        return g;
    }

    /**
     * The checked geometry of {@code AvgPool2d} with {@code kernel} and {@code options}: as
     * {@link #geometry(String, int[], PoolOptions)}, and refusing dilation (PyTorch's average
     * pooling has none).
     */
    public static ConvGeometry avgPoolGeometry(int[] kernel, PoolOptions options) {
        ConvGeometry g = geometry("AvgPool2d", kernel, options);
        AvgPool2dNode.requireNoDilation(g);
        return g;
    }

    /**
     * The geometry of pooling op {@code op} (dilation 1, floor mode; null stride = kernel), checking
     * PyTorch's padding rule (at most half the kernel).
     */
    public static ConvGeometry geometry(String op, int[] kernel, int[] stride, int[] padding) {
        return geometry(op, kernel, PoolOptions.defaults().stride(stride).padding(padding));
    }

    /**
     * The geometry of pooling op {@code op} with kernel {@code kernel} and {@code options}' stride,
     * padding, dilation and ceilMode, checking PyTorch's padding rule: at most half the kernel on
     * each axis.
     */
    public static ConvGeometry geometry(String op, int[] kernel, PoolOptions options) {
        int[] stride = options.stride();
        ConvGeometry g = ConvGeometry.pooling(op, kernel, stride == null ? kernel : stride, options.padding(),
                options.dilation(), options.ceilMode());
        if (2 * g.ph() > g.kh() || 2 * g.pw() > g.kw()) {
            throw new IllegalArgumentException(op + ": padding should be at most half of the kernel size, but got padding ("
                    + g.ph() + ", " + g.pw() + ") for kernel size (" + g.kh() + ", " + g.kw() + ")");
        }
        return g;
    }
}
