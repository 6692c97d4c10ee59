package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Reshape (one dimension may be -1); backward reshapes the gradient back.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class ReshapeNode extends Node {
    private final int[] shape;

    /** Reshapes to {@code shape}. */
    public ReshapeNode(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].reshape(shape);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.reshape(input(0).shape())};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0].reshape(shape);
    }

    @Override
    protected Variable batch(Batch b) {
        return new ReshapeNode(b.withBatch(shape)).apply(b.physical(0));
    }
}
