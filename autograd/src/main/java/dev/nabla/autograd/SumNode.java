package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Sum over axes (all when none are given); backward broadcasts the gradient back.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class SumNode extends Node {
    private final int[] axes;
    private final boolean keepDims;
    private int[] inShape;
    private int[] kept;

    /** Sums over {@code axes} (null: all), keeping them as size 1 with {@code keepDims}. */
    public SumNode(int[] axes, boolean keepDims) {
        this.axes = axes == null ? null : axes.clone();
        this.keepDims = keepDims;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        inShape = x[0].shape();
        int[] ax = Shapes.axes("sum", axes, inShape.length);
        kept = inShape.clone();
        for (int a : ax) {
            kept[a] = 1;
        }
        return x[0].sum(ax, keepDims);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.reshape(kept).broadcastTo(inShape)};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return new SumNode(axes, keepDims).apply(t[0]);
    }

    @Override
    protected Variable batch(Batch b) {
        int[] ax = Shapes.axes("sum", axes, b.rank(0));
        inShape = b.shape(0); // what backward reads, as forward sets it
        kept = inShape.clone();
        for (int a : ax) {
            kept[a] = 1;
        }
        if (ax.length == 0) {
            return b.physical(0); // a 0-d input: nothing to reduce
        }
        return new SumNode(Batch.shift(ax, b.rank(0)), keepDims).apply(b.physical(0));
    }
}
