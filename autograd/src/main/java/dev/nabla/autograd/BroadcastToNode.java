package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Broadcast to a shape; backward is {@link SumToNode}.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class BroadcastToNode extends Node {
    private final int[] shape;

    /** Broadcasts to {@code shape}. */
    public BroadcastToNode(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].broadcastTo(shape);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.sumTo(input(0).shape())};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0].broadcastTo(shape);
    }

    @Override
    protected Variable batch(Batch b) {
        return new BroadcastToNode(b.withBatch(shape)).apply(b.aligned(0, shape.length));
    }
}
