package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Elementwise selection {@code cond ? a : b} with a constant condition; the gradient flows to the
 * chosen side.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class WhereNode extends Node {
    private final NDArray cond;

    /** Selects by {@code cond} (nonzero: first input). */
    public WhereNode(NDArray cond) {
        this.cond = cond;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return NDArray.where(cond, x[0], x[1]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable zero = Variable.constant(0.0, gy.dtype());
        Variable ga = needsInputGrad(0) ? new WhereNode(cond).apply(gy, zero).sumTo(input(0).shape()) : null;
        Variable gb = needsInputGrad(1) ? new WhereNode(cond).apply(zero, gy).sumTo(input(1).shape()) : null;
        return new Variable[] {ga, gb};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable zero = Variable.constant(0.0, output().dtype());
        return new WhereNode(cond).apply(t[0] == null ? zero : t[0], t[1] == null ? zero : t[1])
                .broadcastTo(output().shape());
    }
}
