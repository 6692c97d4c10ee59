package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Concatenation along an axis; backward slices the gradient back into pieces.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class ConcatNode extends Node {
    private final int axis;

    /** Concatenates along {@code axis}. */
    public ConcatNode(int axis) {
        this.axis = axis;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return NDArray.concat(axis, x);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        int a = Shapes.axis("concat", axis, gy.ndim());
        Variable[] g = new Variable[arity()];
        int start = 0;
        for (int i = 0; i < g.length; i++) {
            int len = input(i).shape(a);
            g[i] = needsInputGrad(i) ? gy.slice(a, start, start + len) : null;
            start += len;
        }
        return g;
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable[] ts = new Variable[t.length];
        for (int i = 0; i < t.length; i++) {
            ts[i] = t[i] != null ? t[i] : Variable.constant(NDArray.zeros(input(i).dtype(), input(i).shape()));
        }
        return new ConcatNode(axis).apply(ts);
    }

    @Override
    protected Variable batch(Batch b) {
        Variable[] p = new Variable[b.arity()];
        for (int i = 0; i < p.length; i++) {
            p[i] = b.expanded(i);
        }
        return new ConcatNode(Batch.shift(axis, b.rank(0))).apply(p);
    }
}
