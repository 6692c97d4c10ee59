package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import dev.nabla.nn.conv.PoolFunctions;

/**
 * 2-D average pooling over (N, C, H, W): each window's sum divided by the window size, zero
 * padding included in the count (PyTorch's {@code count_include_pad=True}). Stride defaults to the
 * kernel size (non-overlapping windows).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class AvgPool2d extends Module {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;

    /** A square kernel with stride equal to the kernel and no padding. */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    /** A square kernel, stride and padding (padding at most half the kernel). */
    public AvgPool2d(int kernel, int stride, int padding) {
        this(new int[] {kernel}, new int[] {stride}, new int[] {padding});
    }

    /** Kernel, stride and padding as {height, width} pairs or single values; a null stride means the kernel size. */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding) {
        this.kernel = kernel.clone();
        this.stride = stride == null ? this.kernel.clone() : stride.clone();
        this.padding = padding.clone();
        PoolFunctions.geometry("AvgPool2d", this.kernel, this.stride, this.padding);
    }

    /** Pools {@code x} (N, C, H, W) to (N, C, OH, OW). */
    @Override
    public Variable forward(Variable x) {
        return PoolFunctions.avgPool2d(x, kernel, stride, padding);
    }

    @Override
    public String toString() {
        return "AvgPool2d(kernel_size=" + java.util.Arrays.toString(kernel) + ", stride=" + java.util.Arrays.toString(stride)
                + ", padding=" + java.util.Arrays.toString(padding) + ")";
    }
}
