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

    /**
     * Selects by {@code cond} (nonzero: first input); with {@code cond} null the condition is a third,
     * BOOL input (not differentiated), how {@link F#where(Variable, Variable, Variable)} passes a
     * condition that is batched under {@link Vmap}.
     */
    public WhereNode(NDArray cond) {
        this.cond = cond;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return NDArray.where(cond != null ? cond : x[2], x[0], x[1]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable zero = Variable.constant(0.0, gy.dtype());
        Variable ga = needsInputGrad(0) ? select(gy, zero).sumTo(input(0).shape()) : null;
        Variable gb = needsInputGrad(1) ? select(zero, gy).sumTo(input(1).shape()) : null;
        return cond != null ? new Variable[] {ga, gb} : new Variable[] {ga, gb, null};
    }

    /** {@code cond ? a : b} with this node's condition. */
    private Variable select(Variable a, Variable b) {
        return cond != null ? new WhereNode(cond).apply(a, b) : new WhereNode(null).apply(a, b, input(2));
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable zero = Variable.constant(0.0, output().dtype());
        return select(t[0] == null ? zero : t[0], t[1] == null ? zero : t[1]).broadcastTo(output().shape());
    }

    @Override
    protected Variable batch(Batch b) {
        int r = Math.max(b.maxRank(), cond == null ? 0 : cond.ndim()); // cond broadcasts from the right
        if (cond == null) {
            return new WhereNode(null).apply(b.aligned(0, r), b.aligned(1, r), b.aligned(2, r));
        }
        return new WhereNode(cond).apply(b.aligned(0, r), b.aligned(1, r));
    }
}
