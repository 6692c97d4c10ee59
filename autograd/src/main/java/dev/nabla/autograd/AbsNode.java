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
        return new Variable[] {gy.mul(DerivedNode.of("AbsSign", input(0), NDArray::sign))};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0].mul(Variable.constant(input(0).data().sign()));
    }
}
