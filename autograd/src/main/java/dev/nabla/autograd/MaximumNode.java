package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Elementwise maximum (or minimum) with broadcasting; on ties the gradient is split evenly, as in
 * PyTorch.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class MaximumNode extends Node {
    private final boolean max;

    /** Maximum when {@code max}, minimum otherwise. */
    public MaximumNode(boolean max) {
        this.max = max;
    }

    @Override
    public String name() {
        return max ? "Maximum" : "Minimum";
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return max ? x[0].maximum(x[1]) : x[0].minimum(x[1]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable a = input(0);
        Variable b = input(1);
        dev.nabla.ndarray.DType t = gy.dtype();
        NDArray wins = (max ? a.data().gt(b.data()) : a.data().lt(b.data())).astype(t);
        NDArray mask = wins.add(a.data().eq(b.data()).astype(t).mul(0.5));
        Variable m = Variable.constant(mask);
        return new Variable[] {needsInputGrad(0) ? gy.mul(m).sumTo(a.shape()) : null,
                               needsInputGrad(1) ? gy.mul(m.rsub(1.0)).sumTo(b.shape()) : null};
    }
}
