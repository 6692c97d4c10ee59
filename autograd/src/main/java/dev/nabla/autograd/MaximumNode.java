package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Elementwise maximum (or minimum) with broadcasting; on ties the gradient is split evenly, as in
 * PyTorch.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class MaximumNode extends Node {
    private final boolean max;

    /** Maximum when {@code max}, minimum otherwise. */
    public MaximumNode(boolean max) {
        this.max = max;
    }

    @Override
    public String name() {
        return max ? "Maximum" : "Minimum";
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return max ? x[0].maximum(x[1]) : x[0].minimum(x[1]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable a = input(0);
        Variable b = input(1);
        Variable m = mask(gy.dtype());
        return new Variable[] {needsInputGrad(0) ? gy.mul(m).sumTo(a.shape()) : null,
                               needsInputGrad(1) ? gy.mul(m.rsub(1.0)).sumTo(b.shape()) : null};
    }

    /** 1 where the first input wins, 0.5 at ties, 0 where the second wins (broadcast to the output). */
    private Variable mask(dev.nabla.ndarray.DType t) {
        return Vmap.constant(k -> x -> {
            NDArray a = x[0];
            NDArray b = x[1];
            NDArray wins = (max ? a.gt(b) : a.lt(b)).astype(t);
            return wins.add(a.eq(b).astype(t).mul(0.5));
        }, input(0), input(1));
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable m = mask(output().dtype());
        Variable ta = t[0] == null ? null : t[0].mul(m);
        Variable tb = t[1] == null ? null : t[1].mul(m.rsub(1.0));
        return (ta == null ? tb : tb == null ? ta : ta.add(tb)).broadcastTo(output().shape());
    }

    @Override
    protected Variable batch(Batch b) {
        int r = b.maxRank();
        return new MaximumNode(max).apply(b.aligned(0, r), b.aligned(1, r));
    }
}
