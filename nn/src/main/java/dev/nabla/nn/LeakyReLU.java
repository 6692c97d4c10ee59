package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * {@code x} for x &gt; 0, {@code slope·x} otherwise; PyTorch's default slope is 0.01.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class LeakyReLU extends Module {
    private final double slope;

    /** With negative slope 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    /** With the given negative slope. */
    public LeakyReLU(double negativeSlope) {
        this.slope = negativeSlope;
    }

    /** The negative slope. */
    public double negativeSlope() {
        return slope;
    }

    @Override
    public Variable forward(Variable x) {
        return x.leakyRelu(slope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + Repr.num(slope);
    }
}
