package dev.nabla.nn.conv;

import dev.nabla.autograd.Variable;

/**
 * Functional 2-D pooling over (N, C, H, W) variables: max, average and global average. Kernel,
 * stride and padding are {height, width} pairs or one value for both axes; a null stride means
 * "same as the kernel" (non-overlapping windows), as in PyTorch.
 * Stateless and thread-safe.
 */
public final class PoolFunctions {
    private PoolFunctions() {}

    /** Max pooling with a square kernel and stride equal to the kernel, no padding. */
    public static Variable maxPool2d(Variable x, int kernel) {
        return maxPool2d(x, new int[] {kernel}, null, new int[] {0});
    }

    /**
     * Max pooling: each output is the maximum of its window; the gradient goes to the position of
     * that maximum. Padding (at most half the kernel) never wins.
     */
    public static Variable maxPool2d(Variable x, int[] kernel, int[] stride, int[] padding) {
        ConvGeometry g = geometry("MaxPool2d", kernel, stride, padding);
        g.outputSize(x.shape());
        return new MaxPool2dNode(g).apply(x);
    }

    /** Average pooling with a square kernel and stride equal to the kernel, no padding. */
    public static Variable avgPool2d(Variable x, int kernel) {
        return avgPool2d(x, new int[] {kernel}, null, new int[] {0});
    }

    /**
     * Average pooling: each output is its window's sum divided by KH·KW, zero padding included in
     * the count (PyTorch's default {@code count_include_pad=True}).
     */
    public static Variable avgPool2d(Variable x, int[] kernel, int[] stride, int[] padding) {
        ConvGeometry g = geometry("AvgPool2d", kernel, stride, padding);
        g.outputSize(x.shape());
        return new AvgPool2dNode(g).apply(x);
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
     * The geometry of pooling op {@code op} (dilation 1; null stride = kernel), checking PyTorch's
     * padding rule (at most half the kernel) so that every window holds at least one real input.
     */
    public static ConvGeometry geometry(String op, int[] kernel, int[] stride, int[] padding) {
        ConvGeometry g = ConvGeometry.of(op, kernel, stride == null ? kernel : stride, padding, new int[] {1});
        if (2 * g.ph() > g.kh() || 2 * g.pw() > g.kw()) {
            throw new IllegalArgumentException(op + ": padding should be at most half of the kernel size, but got padding ("
                    + g.ph() + ", " + g.pw() + ") for kernel size (" + g.kh() + ", " + g.kw() + ")");
        }
        return g;
    }
}
