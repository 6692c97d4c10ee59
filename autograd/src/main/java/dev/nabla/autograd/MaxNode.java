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
        Variable x = input(0);
        int[] ax = Shapes.axes("max", axes, x.ndim());
        return new Variable[] {gy.reshape(kept).broadcastTo(x.shape()).mul(share(x, ax))};
    }

    /** Each input's share of its maximum: 1 at the maximum, split evenly among ties, 0 elsewhere (batched under vmap). */
    private Variable share(Variable x, int[] ax) {
        return Vmap.constant(k -> a -> {
            int[] shifted = ax.clone();
            for (int i = 0; i < shifted.length; i++) {
                shifted[i] += k;
            }
            NDArray hit = a[0].eq(a[1]).astype(a[0].dtype());
            return shifted.length == 0 ? hit : hit.div(hit.sum(shifted, true)); // no axes: a 0-d input is its own max
        }, x, output().reshape(kept));
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable x = input(0);
        int[] ax = Shapes.axes("max", axes, x.ndim());
        return new SumNode(ax, keepDims).apply(t[0].mul(share(x, ax)));
    }

    @Override
    protected Variable batch(Batch b) {
        int[] ax = Shapes.axes("max", axes, b.rank(0));
        kept = b.shape(0); // what backward reads, as forward sets it
        for (int a : ax) {
            kept[a] = 1;
        }
        if (ax.length == 0) {
            return b.physical(0);
        }
        return new MaxNode(Batch.shift(ax, b.rank(0)), keepDims).apply(b.physical(0));
    }
}
