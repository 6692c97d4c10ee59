package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Sum down to a shape (adjoint of broadcasting); backward is {@link BroadcastToNode}.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class SumToNode extends Node {
    private final int[] shape;

    /** Sums down to {@code shape}. */
    public SumToNode(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].sumTo(shape);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.broadcastTo(input(0).shape())};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0].sumTo(shape);
    }

    @Override
    protected Variable batch(Batch b) {
        Variable p = b.physical(0);
        int extra = b.rank(0) - shape.length;
        if (extra > 0) { // the leading logical axes the target lacks
            int[] lead = new int[extra];
            for (int i = 0; i < extra; i++) {
                lead[i] = i + 1;
            }
            p = new SumNode(lead, false).apply(p);
        }
        return p.sumTo(b.withBatch(shape));
    }
}
