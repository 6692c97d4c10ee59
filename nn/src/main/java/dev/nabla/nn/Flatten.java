package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Shapes;
import java.util.Arrays;

/**
 * Merges axes {@code startDim..endDim} into one, as PyTorch's {@code nn.Flatten} (defaults 1 and
 * -1, so {@code (N, C, H, W)} becomes {@code (N, C·H·W)}). A reshape: the gradient is reshaped back.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    /** Flattens every axis but the first. */
    public Flatten() {
        this(1, -1);
    }

    /** Flattens axes {@code startDim..endDim} inclusive (negative counts from the end). */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Variable forward(Variable x) {
        int n = x.ndim();
        int s = Shapes.axis("Flatten (start_dim)", startDim, n);
        int e = Shapes.axis("Flatten (end_dim)", endDim, n);
        if (s > e) {
            throw new IllegalArgumentException("Flatten: start_dim " + startDim + " cannot come after end_dim " + endDim
                    + " for input of shape " + Shapes.str(x.shape()));
        }
        int[] shape = x.shape();
        int merged = Shapes.size("Flatten", Arrays.copyOfRange(shape, s, e + 1));
        int[] out = new int[n - (e - s)];
        System.arraycopy(shape, 0, out, 0, s);
        out[s] = merged;
        System.arraycopy(shape, e + 1, out, s + 1, n - e - 1);
        return Arrays.equals(out, shape) ? x : x.reshape(out);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
