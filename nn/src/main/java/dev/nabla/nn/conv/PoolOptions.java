package dev.nabla.nn.conv;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * The settings of 2-D max and average pooling beside the kernel size, with PyTorch's names and
 * defaults: {@code stride} (null: the kernel size), {@code padding} 0, {@code dilation} 1 (max
 * pooling only), {@code ceilMode} false, and, for average pooling only, {@code countIncludePad}
 * true and no {@code divisorOverride}. Stride, padding and dilation are {height, width} pairs or
 * one value for both axes. Each wither returns a new value, e.g.
 * {@code PoolOptions.defaults().stride(2).padding(1).ceilMode(true)}; the values are checked when
 * a pooling layer or call uses them, with that operation's name in the message.
 * Immutable and thread-safe.
 */
public final class PoolOptions {
    private static final int[] ZERO = {0};
    private static final int[] ONE = {1};
    private static final PoolOptions DEFAULTS = new PoolOptions(null, ZERO, ONE, false, true, 0);

    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    /** 0 for none (PyTorch refuses a zero divisor, so 0 is free to mean "unset"). */
    private final int divisorOverride;

    private PoolOptions(int[] stride, int[] padding, int[] dilation, boolean ceilMode, boolean countIncludePad,
                        int divisorOverride) {
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    /** PyTorch's defaults: stride = kernel, padding 0, dilation 1, floor mode, padding counted, no divisor override. */
    public static PoolOptions defaults() {
        return DEFAULTS;
    }

    /** With this stride ({height, width} or one value); {@code null} means the kernel size. */
    public PoolOptions stride(int... s) {
        return new PoolOptions(copy(s), padding, dilation, ceilMode, countIncludePad,
                divisorOverride);
    }

    /** With this zero (average) or minus-infinity (max) padding, at most half the kernel on each axis. */
    public PoolOptions padding(int... p) {
        return new PoolOptions(stride, copy(p), dilation, ceilMode, countIncludePad, divisorOverride);
    }

    /** With this spacing between window taps (max pooling only; PyTorch's AvgPool2d has no dilation). */
    public PoolOptions dilation(int... d) {
        return new PoolOptions(stride, padding, copy(d), ceilMode, countIncludePad, divisorOverride);
    }

    /**
     * With output sizes rounded up ({@code true}) instead of down: a last, partial window is kept as
     * long as it starts inside the input or its left/top padding.
     */
    public PoolOptions ceilMode(boolean on) {
        return new PoolOptions(stride, padding, dilation, on, countIncludePad, divisorOverride);
    }

    /**
     * Average pooling only: whether padding cells count in a window's divisor ({@code true}, the
     * default) or only the real input cells do ({@code false}).
     */
    public PoolOptions countIncludePad(boolean on) {
        return new PoolOptions(stride, padding, dilation, ceilMode, on, divisorOverride);
    }

    /** Average pooling only: divide every window's sum by {@code divisor} (non-zero) instead of its size. */
    public PoolOptions divisorOverride(int divisor) {
        if (divisor == 0) {
            throw new IllegalArgumentException("PoolOptions: divisorOverride must not be zero (PyTorch: \"divisor must"
                    + " be not zero\"); leave it unset to divide by the window size");
        }
        return new PoolOptions(stride, padding, dilation, ceilMode, countIncludePad, divisor);
    }

    /** A copy of {@code v}; null and bad lengths are reported by the pooling call, with its name. */
    private static int[] copy(int[] v) {
        return v == null ? null : v.clone();
    }

    /** The stride ({height, width} or one value), or {@code null} for the kernel size; a copy. */
    public int[] stride() {
        return copy(stride);
    }

    /** The padding ({height, width} or one value); a copy. */
    public int[] padding() {
        return copy(padding);
    }

    /** The dilation ({height, width} or one value); a copy. */
    public int[] dilation() {
        return copy(dilation);
    }

    /** Whether output sizes round up. */
    public boolean ceilMode() {
        return ceilMode;
    }

    /** Whether average pooling counts padding cells in its divisor. */
    public boolean countIncludePad() {
        return countIncludePad;
    }

    /** Average pooling's fixed divisor, if set. */
    public OptionalInt divisorOverride() {
        return divisorOverride == 0 ? OptionalInt.empty() : OptionalInt.of(divisorOverride);
    }

    /** The divisor override, or 0 when unset (for the kernels). */
    public int divisorOrZero() {
        return divisorOverride;
    }

    /** Whether an average-pooling-only setting differs from its default (max pooling refuses them). */
    boolean hasAverageSettings() {
        return !countIncludePad || divisorOverride != 0;
    }

    @Override
    public String toString() {
        return "PoolOptions(stride=" + (stride == null ? "kernel" : Arrays.toString(stride)) + ", padding="
                + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation) + ", ceilMode=" + ceilMode
                + ", countIncludePad=" + countIncludePad + ", divisorOverride="
                + (divisorOverride == 0 ? "None" : divisorOverride) + ")";
    }
}
