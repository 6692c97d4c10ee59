package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Inclusive cumulative sum along one axis (PyTorch's {@code cumsum}); {@code reverse} sums from
 * the end. The op is linear and its adjoint is the cumulative sum in the other direction, so the
 * backward is this node again with the direction flipped.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class CumsumNode extends Node {
    private final int axis;
    private final boolean reverse;

    /** Sums cumulatively along {@code axis} (negative counts from the end), from the end if {@code reverse}. */
    public CumsumNode(int axis, boolean reverse) {
        this.axis = axis;
        this.reverse = reverse;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return reverse ? x[0].reverseCumsum(axis) : x[0].cumsum(axis);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new CumsumNode(axis, !reverse).apply(gy)};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return new CumsumNode(axis, reverse).apply(t[0]);
    }

    @Override
    protected Variable batch(Batch b) {
        if (b.rank(0) == 0) {
            return b.physical(0);
        }
        return new CumsumNode(Batch.shift(axis, b.rank(0)), reverse).apply(b.physical(0));
    }
}
