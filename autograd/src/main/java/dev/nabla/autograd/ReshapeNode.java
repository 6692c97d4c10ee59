package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/** Reshape (one dimension may be -1); backward reshapes the gradient back. */
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
}
