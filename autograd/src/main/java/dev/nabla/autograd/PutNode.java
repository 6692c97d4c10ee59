package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * The accumulating put into zeros, PyTorch's {@code torch.zeros(shape).put_(index, source,
 * accumulate=True)} out of place: the values (first input) scatter-added at the flat positions of
 * the integer index (second input, a constant of the values' shape) into an array of the given
 * shape; the adjoint of {@link TakeNode}, whose backward it is (its own backward is a take).
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class PutNode extends Node {
    private final int[] shape;

    /** Scatter-adds into zeros of {@code shape}. */
    public PutNode(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        if (!java.util.Arrays.equals(x[0].shape(), x[1].shape())) {
            throw new IllegalArgumentException("put: the values of shape " + Shapes.str(x[0].shape()) + " and the index of "
                    + "shape " + Shapes.str(x[1].shape()) + " must have the same shape (one position per value)");
        }
        int n = Shapes.size(shape);
        int[] idx = TakeNode.indices("put", x[1], n);
        double[] out = new double[n];
        for (int k = 0; k < idx.length; k++) {
            out[idx[k]] += x[0].getFlat(k);
        }
        return NDArray.of(out, shape.clone()).astype(x[0].dtype());
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new TakeNode().apply(gy, input(1)), null};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0] == null ? null : new PutNode(shape).apply(t[0], input(1));
    }

    @Override
    protected Variable batch(Batch b) {
        Variable index = b.isBatched(1) || b.isBatched(0)
                ? TakeNode.offset(b.physical(1), b.isBatched(1), b.size(), Shapes.size(shape), b.rank(1)) : b.physical(1);
        return new PutNode(b.withBatch(shape)).apply(b.expanded(0), index);
    }
}
