package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Arrays;

/**
 * Adaptive max pooling to a fixed output size, PyTorch's {@code nn.AdaptiveMaxPool2d(output_size)}
 * (without {@code return_indices}): the windows of {@link AdaptiveAvgPool2d}, each output its
 * window's maximum, the gradient to the window's first maximum. No parameters.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class AdaptiveMaxPool2d extends Module {
    private final int[] outputSize;

    /** Pools (N, C, H, W) to (N, C, OH, OW): {@code outputSize} is {OH, OW} or one value for both. */
    public AdaptiveMaxPool2d(int... outputSize) {
        this.outputSize = checkSize("AdaptiveMaxPool2d", outputSize);
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.adaptiveMaxPool2d(x, outputSize);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + sizeRepr(outputSize);
    }

    /** One or two positive sizes, copied. */
    static int[] checkSize(String op, int[] outputSize) {
        if (outputSize == null || outputSize.length < 1 || outputSize.length > 2
                || Arrays.stream(outputSize).anyMatch(v -> v < 1)) {
            throw new IllegalArgumentException(op + ": output_size must be one or two positive sizes (OH, OW), but got "
                    + (outputSize == null ? "null" : Arrays.toString(outputSize)));
        }
        return outputSize.clone();
    }

    /** As PyTorch prints what it was given: an int or a tuple. */
    static String sizeRepr(int[] s) {
        return s.length == 1 ? Integer.toString(s[0]) : Repr.tuple(s);
    }
}
