package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * The Gaussian error linear unit {@code x·Φ(x)}, exact (erf form, PyTorch's default) or with the
 * tanh approximation ({@code approximate = "tanh"} in PyTorch). Smooth, so differentiable to any order.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class GELU extends Module {
    private final boolean tanhApproximation;

    /** The exact erf form. */
    public GELU() {
        this(false);
    }

    /** The tanh approximation when {@code tanhApproximation}, the exact form otherwise. */
    public GELU(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    @Override
    public Variable forward(Variable x) {
        return tanhApproximation ? Functional.gelu(x, "tanh") : Functional.gelu(x);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + (tanhApproximation ? "tanh" : "none") + "'";
    }
}
