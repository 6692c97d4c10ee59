package dev.nabla.autograd;

import dev.nabla.ndarray.Gather;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/** The adjoint of {@link GetItemNode}: scatter-add into zeros of the source shape; its backward is the gather again. */
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
}
