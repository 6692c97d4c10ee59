package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * Global average pooling: the mean of each channel's H×W plane, turning (N, C, H, W) into (N, C)
 * (or (N, C, 1, 1) when constructed with {@code keepDims}), the usual bridge from convolutions to a
 * classifier without a fixed input size.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class GlobalAvgPool2d extends Module {
    private final boolean keepDims;

    /** Pools to (N, C). */
    public GlobalAvgPool2d() {
        this(false);
    }

    /** Pools to (N, C, 1, 1) when {@code keepDims}, else (N, C). */
    public GlobalAvgPool2d(boolean keepDims) {
        this.keepDims = keepDims;
    }

    /** Averages {@code x} (N, C, H, W) over H and W. */
    @Override
    public Variable forward(Variable x) {
        return Functional.globalAvgPool2d(x, keepDims);
    }

    @Override
    protected String extraRepr() {
        return "keepDims=" + Repr.bool(keepDims);
    }
}
