package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * Adaptive average pooling to a fixed output size whatever the input's H and W, PyTorch's
 * {@code nn.AdaptiveAvgPool2d(output_size)}: window (i, j) covers rows
 * {@code floor(i·H/OH) .. ceil((i+1)·H/OH)} and the columns likewise (see
 * {@link Functional#adaptiveAvgPool2d}). No parameters.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class AdaptiveAvgPool2d extends Module {
    private final int[] outputSize;

    /** Pools (N, C, H, W) to (N, C, OH, OW): {@code outputSize} is {OH, OW} or one value for both. */
    public AdaptiveAvgPool2d(int... outputSize) {
        this.outputSize = AdaptiveMaxPool2d.checkSize("AdaptiveAvgPool2d", outputSize);
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.adaptiveAvgPool2d(x, outputSize);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + AdaptiveMaxPool2d.sizeRepr(outputSize);
    }
}
