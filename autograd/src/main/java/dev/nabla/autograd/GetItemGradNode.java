package dev.nabla.autograd;

import dev.nabla.ndarray.Gather;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * The adjoint of {@link GetItemNode}: scatter-add into zeros of the source shape; its backward is
 * the gather again.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class GetItemGradNode extends Node {
    private final Gather gather;

    /** Scatter-adds by a resolved index. */
    public GetItemGradNode(Gather gather) {
        this.gather = gather;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return gather.scatterAdd(x[0]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new GetItemNode(gather).apply(gy)};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return new GetItemGradNode(gather).apply(t[0]);
    }

    @Override
    protected Variable batch(Batch b) {
        return new GetItemGradNode(GetItemNode.batched(gather, b.size())).apply(b.physical(0));
    }
}
