package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Elementwise product with broadcasting: d(ab) = b da + a db.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class MulNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].mul(x[1]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable a = input(0);
        Variable b = input(1);
        return new Variable[] {needsInputGrad(0) ? gy.mul(b).sumTo(a.shape()) : null,
                               needsInputGrad(1) ? gy.mul(a).sumTo(b.shape()) : null};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable ta = t[0] == null ? null : t[0].mul(input(1));
        Variable tb = t[1] == null ? null : input(0).mul(t[1]);
        return ta == null ? tb : tb == null ? ta : ta.add(tb);
    }

    @Override
    protected Variable batch(Batch b) {
        int r = b.maxRank(); // broadcasting: line the batch axes up in front of the logical ones
        return new MulNode().apply(b.aligned(0, r), b.aligned(1, r));
    }
}
