package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Power with a constant exponent: d(x^c) = c x^(c-1) dx.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class PowNode extends Node {
    private final double c;

    /** Raises to the constant power {@code c}. */
    public PowNode(double c) {
        this.c = c;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].pow(c);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        if (c == 0) {
            return new Variable[] {gy.mul(0.0)};
        }
        Variable x = input(0);
        Variable d = c == 2 ? x.mul(2.0) : c == 1 ? Variable.constant(1.0, x.dtype()) : x.pow(c - 1).mul(c);
        return new Variable[] {gy.mul(d)};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        if (c == 0) {
            return t[0].mul(0.0);
        }
        Variable x = input(0);
        return c == 1 ? t[0] : t[0].mul(c == 2 ? x.mul(2.0) : x.pow(c - 1).mul(c));
    }

    @Override
    protected Variable batch(Batch b) {
        return new PowNode(c).apply(b.physical(0));
    }
}
