package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Clamp into [lo, hi]; the gradient passes where lo ≤ x ≤ hi, as in PyTorch.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class ClampNode extends Node {
    private final double lo;
    private final double hi;

    /** Clamps into [lo, hi]. */
    public ClampNode(double lo, double hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp: min " + lo + " is greater than max " + hi);
        }
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].clamp(lo, hi);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable mask = DerivedNode.of("ClampMask", input(0), a -> a.map(v -> v >= lo && v <= hi ? 1.0 : 0.0));
        return new Variable[] {gy.mul(mask)};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        NDArray mask = input(0).data().map(v -> v >= lo && v <= hi ? 1.0 : 0.0);
        return t[0].mul(Variable.constant(mask));
    }
}
