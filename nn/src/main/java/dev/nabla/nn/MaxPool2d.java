package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import dev.nabla.nn.conv.ConvGeometry;
import dev.nabla.nn.conv.PoolOptions;

/**
 * 2-D max pooling over (N, C, H, W): the maximum of each window; the gradient flows only to the
 * position of that maximum. Stride defaults to the kernel size (non-overlapping windows); padding
 * (at most half the kernel) counts as minus infinity. Output sizes are PyTorch's,
 * {@code OH = floor((H + 2P - D(K-1) - 1)/S) + 1} or, with {@link PoolOptions#ceilMode}, rounded up
 * (a last partial window kept when it starts inside the input or its top/left padding): a window
 * need not tile the input, and rows and columns no window reaches get no gradient. Settings come
 * from {@link PoolOptions} (stride, padding, dilation, ceilMode).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class MaxPool2d extends Module {
    private final int[] kernel;
    private final PoolOptions options;
    private final ConvGeometry geometry;

    /** A square kernel with stride equal to the kernel and no padding. */
    public MaxPool2d(int kernel) {
        this(new int[] {kernel}, PoolOptions.defaults());
    }

    /** A square kernel, stride and padding (padding at most half the kernel). */
    public MaxPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel}, new int[] {stride}, new int[] {padding});
    }

    /** Kernel, stride and padding as {height, width} pairs or single values; a null stride means the kernel size. */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding) {
        this(kernel, PoolOptions.defaults().stride(stride).padding(padding));
    }

    /** A square kernel with {@code options}, e.g. {@code PoolOptions.defaults().stride(2).ceilMode(true)}. */
    public MaxPool2d(int kernel, PoolOptions options) {
        this(new int[] {kernel}, options);
    }

    /**
     * Kernel as a {height, width} pair or one value, with {@code options}; the average-only
     * settings ({@code countIncludePad}, {@code divisorOverride}) are refused.
     */
    public MaxPool2d(int[] kernel, PoolOptions options) {
        if (kernel == null || options == null) {
            throw new IllegalArgumentException("MaxPool2d: kernel size and options must not be null, but got kernel "
                    + java.util.Arrays.toString(kernel) + " and options " + options + "; use PoolOptions.defaults()");
        }
        this.kernel = kernel.clone();
        this.options = options;
        this.geometry = ConvGeometry.maxPool(this.kernel, options);
    }

    /** Pools {@code x} (N, C, H, W) to (N, C, OH, OW). */
    @Override
    public Variable forward(Variable x) {
        return Functional.maxPool2d(x, kernel, options);
    }

    /** The settings beside the kernel size. */
    public PoolOptions options() {
        return options;
    }

    @Override
    protected String extraRepr() {
        ConvGeometry g = geometry;
        return "kernel_size=" + Repr.intOrPair(g.kh(), g.kw()) + ", stride=" + Repr.intOrPair(g.sh(), g.sw()) + ", padding="
                + Repr.intOrPair(g.ph(), g.pw()) + ", dilation=" + Repr.intOrPair(g.dh(), g.dw()) + ", ceil_mode="
                + Repr.bool(g.ceilMode());
    }
}
