package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Elementwise quotient with broadcasting: d(a/b) = da/b - a db/b².
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class DivNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].div(x[1]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable a = input(0);
        Variable b = input(1);
        Variable ga = gy.div(b);
        Variable gb = needsInputGrad(1) ? ga.mul(a).div(b).neg().sumTo(b.shape()) : null;
        return new Variable[] {needsInputGrad(0) ? ga.sumTo(a.shape()) : null, gb};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        // d(a/b) = (da - (a/b) db) / b
        Variable num = t[1] == null ? t[0] : t[0] == null ? t[1].mul(output()).neg() : t[0].sub(t[1].mul(output()));
        return num.div(input(1)).broadcastTo(output().shape());
    }

    @Override
    protected Variable batch(Batch b) {
        int r = b.maxRank(); // broadcasting: line the batch axes up in front of the logical ones
        return new DivNode().apply(b.aligned(0, r), b.aligned(1, r));
    }
}
