package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Natural logarithm: d(log x) = dx / x.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class LogNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].log();
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.div(input(0))};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0].div(input(0));
    }

    @Override
    protected Variable batch(Batch b) {
        return new LogNode().apply(b.physical(0)); // elementwise: the same op on the whole batch
    }
}
