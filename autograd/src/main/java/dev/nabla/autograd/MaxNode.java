package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Maximum over axes; the gradient goes to the maximal positions, split evenly among ties.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class MaxNode extends Node {
    private final int[] axes;
    private final boolean keepDims;
    private int[] kept;

    /** Maximum over {@code axes} (null: all), keeping them as size 1 with {@code keepDims}. */
    public MaxNode(int[] axes, boolean keepDims) {
        this.axes = axes == null ? null : axes.clone();
        this.keepDims = keepDims;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        int[] ax = Shapes.axes("max", axes, x[0].ndim());
        kept = x[0].shape();
        for (int a : ax) {
            kept[a] = 1;
        }
        return x[0].max(ax, keepDims);
    }

    @Override
    protected boolean savesOutput() {
        return true;
    }

    @Override
    protected Variable[] backward(Variable gy) {
        NDArray x = input(0).data();
        int[] ax = Shapes.axes("max", axes, x.ndim());
        Variable share = DerivedNode.of("MaxShare", input(0), a -> share(a, ax));
        return new Variable[] {gy.reshape(kept).broadcastTo(x.shape()).mul(share)};
    }

    /** Each input's share of its maximum: 1 at the maximum, split evenly among ties, 0 elsewhere. */
    private NDArray share(NDArray x, int[] ax) {
        NDArray hit = x.eq(output().data().reshape(kept)).astype(x.dtype());
        return hit.div(hit.sum(ax, true));
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable x = input(0);
        int[] ax = Shapes.axes("max", axes, x.ndim());
        return new SumNode(ax, keepDims).apply(t[0].mul(Variable.constant(share(x.data(), ax))));
    }
}
