package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * Softmax along one axis, {@code exp(x - max) / Σ exp(x - max)} (the maximum is subtracted for
 * stability). For training a classifier prefer {@link Functional#crossEntropy(dev.nabla.autograd.Variable, int[])} on the logits, which
 * fuses the log-softmax.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Softmax extends Module {
    private final int axis;

    /** Softmax along {@code axis} (negative counts from the end). */
    public Softmax(int axis) {
        this.axis = axis;
    }

    /** The axis. */
    public int axis() {
        return axis;
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.softmax(x, axis);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + axis;
    }
}
