package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/** Broadcast to a shape; backward is {@link SumToNode}. */
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
}
