package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Cosine: d(cos x) = -sin x dx.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class CosNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].cos();
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.mul(input(0).sin()).neg()};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0].mul(input(0).sin()).neg();
    }

    @Override
    protected Variable batch(Batch b) {
        return new CosNode().apply(b.physical(0)); // elementwise: the same op on the whole batch
    }
}
