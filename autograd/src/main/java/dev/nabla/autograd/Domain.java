package dev.nabla.autograd;

import java.util.Random;

/**
 * A set of input values an operation is differentiable on, used to draw gradient-check inputs
 * that stay away from the op's kinks and poles: the op registry, the {@code nabla gradcheck}
 * command and the jqwik arbitraries of the test-jar all draw from these.
 * Immutable and thread-safe (an enum).
 */
public enum Domain {
    /** Any real value in [-2, 2]: smooth ops (exp, tanh, sin, matmul, ...). */
    REAL(-2.0, 2.0, false),
    /** Values in [0.5, 2]: log, sqrt, fractional powers, pow with a variable exponent. */
    POSITIVE(0.5, 2.0, false),
    /** Magnitudes in [0.2, 2] with either sign: abs, ReLU and the like (kink at 0), divisors (pole at 0). */
    AWAY_FROM_ZERO(0.2, 2.0, true),
    /** Values in [0.05, 0.95]: probabilities (kept away from 0 and 1, where logs have poles). */
    UNIT(0.05, 0.95, false);

    private final double low;
    private final double high;
    private final boolean signed;

    Domain(double low, double high, boolean signed) {
        this.low = low;
        this.high = high;
        this.signed = signed;
    }

    /** Lower bound of the values (of their magnitude when {@link #signed()}). */
    public double low() {
        return low;
    }

    /** Upper bound of the values (of their magnitude when {@link #signed()}). */
    public double high() {
        return high;
    }

    /** True when {@code [low, high]} bounds the magnitude and the sign is drawn separately. */
    public boolean signed() {
        return signed;
    }

    /** Whether {@code v} lies in this domain. */
    public boolean contains(double v) {
        double m = signed ? Math.abs(v) : v;
        return m >= low && m <= high;
    }

    /** Draws one value uniformly from this domain (and a uniform sign when {@link #signed()}). */
    public double sample(Random rng) {
        double m = low + (high - low) * rng.nextDouble();
        return signed && rng.nextBoolean() ? -m : m;
    }
}
