package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Sine: d(sin x) = cos x dx.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class SinNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].sin();
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.mul(input(0).cos())};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0].mul(input(0).cos());
    }

    @Override
    protected Variable batch(Batch b) {
        return new SinNode().apply(b.physical(0)); // elementwise: the same op on the whole batch
    }
}
