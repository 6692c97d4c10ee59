package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import dev.nabla.nn.conv.ConvGeometry;
import dev.nabla.nn.conv.PoolOptions;

/**
 * 2-D average pooling over (N, C, H, W): each window's sum divided by its divisor, as PyTorch:
 * the window size clipped to the padded input by default ({@code countIncludePad}, zero padding
 * counted), the count of real input cells without it, or a fixed {@code divisorOverride}. Stride
 * defaults to the kernel size (non-overlapping windows). Output sizes are PyTorch's,
 * {@code OH = floor((H + 2P - K)/S) + 1} or, with {@link PoolOptions#ceilMode}, rounded up (a last
 * partial window kept when it starts inside the input or its top/left padding): a window need not
 * tile the input, and rows and columns no window reaches get no gradient. Settings come from
 * {@link PoolOptions} (no dilation: PyTorch's AvgPool2d has none).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class AvgPool2d extends Module {
    private final int[] kernel;
    private final PoolOptions options;
    private final ConvGeometry geometry;

    /** A square kernel with stride equal to the kernel and no padding. */
    public AvgPool2d(int kernel) {
        this(new int[] {kernel}, PoolOptions.defaults());
    }

    /** A square kernel, stride and padding (padding at most half the kernel). */
    public AvgPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel}, new int[] {stride}, new int[] {padding});
    }

    /** Kernel, stride and padding as {height, width} pairs or single values; a null stride means the kernel size. */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding) {
        this(kernel, PoolOptions.defaults().stride(stride).padding(padding));
    }

    /** A square kernel with {@code options}, e.g. {@code PoolOptions.defaults().stride(2).countIncludePad(false)}. */
    public AvgPool2d(int kernel, PoolOptions options) {
        this(new int[] {kernel}, options);
    }

    /** Kernel as a {height, width} pair or one value, with {@code options} (dilation must stay 1). */
    public AvgPool2d(int[] kernel, PoolOptions options) {
        if (kernel == null || options == null) {
            throw new IllegalArgumentException("AvgPool2d: kernel size and options must not be null, but got kernel "
                    + java.util.Arrays.toString(kernel) + " and options " + options + "; use PoolOptions.defaults()");
        }
        this.kernel = kernel.clone();
        this.options = options;
        this.geometry = ConvGeometry.avgPool(this.kernel, options);
    }

    /** Pools {@code x} (N, C, H, W) to (N, C, OH, OW). */
    @Override
    public Variable forward(Variable x) {
        return Functional.avgPool2d(x, kernel, options);
    }

    /** The settings beside the kernel size. */
    public PoolOptions options() {
        return options;
    }

    @Override
    protected String extraRepr() {
        ConvGeometry g = geometry;
        return "kernel_size=" + Repr.intOrPair(g.kh(), g.kw()) + ", stride=" + Repr.intOrPair(g.sh(), g.sw()) + ", padding="
                + Repr.intOrPair(g.ph(), g.pw());
    }
}
