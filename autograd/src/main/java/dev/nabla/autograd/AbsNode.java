package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Absolute value; the gradient is sign(x), 0 at 0 as in PyTorch.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class AbsNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].abs();
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.mul(Vmap.constant(k -> a -> a[0].sign(), input(0)))};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0].mul(Vmap.constant(k -> a -> a[0].sign(), input(0)));
    }

    @Override
    protected Variable batch(Batch b) {
        return new AbsNode().apply(b.physical(0)); // elementwise: the same op on the whole batch
    }
}
