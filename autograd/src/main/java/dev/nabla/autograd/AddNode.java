package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Elementwise sum with broadcasting; backward sums the gradient down to each input's shape.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class AddNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].add(x[1]);
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable a = input(0);
        Variable b = input(1);
        return new Variable[] {needsInputGrad(0) ? gy.sumTo(a.shape()) : null,
                               needsInputGrad(1) ? gy.sumTo(b.shape()) : null};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable s = t[0] == null ? t[1] : t[1] == null ? t[0] : t[0].add(t[1]);
        return s.broadcastTo(output().shape());
    }

    @Override
    protected Variable batch(Batch b) {
        int r = b.maxRank(); // broadcasting: line the batch axes up in front of the logical ones
        return new AddNode().apply(b.aligned(0, r), b.aligned(1, r));
    }
}
