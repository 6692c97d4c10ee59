package dev.nabla.autograd;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * PyTorch's {@code torch.take(input, index)}: the elements of the input, viewed as 1-D, at the
 * integer {@code index} (the second input, a constant of any shape, which is the output's shape);
 * backward scatter-adds with {@link PutNode}. The index is an input rather than a field, so that
 * under {@link Vmap} it may differ per example: this is the primitive the data-dependent gathers
 * (sort, topk, max pooling) decompose to when batched.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class TakeNode extends Node {
    /** Creates the node; apply it to {@code (input, index)}. */
    public TakeNode() {}

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        int[] idx = indices("take", x[1], x[0].size());
        NDArray src = x[0];
        double[] out = new double[idx.length];
        for (int k = 0; k < idx.length; k++) {
            out[k] = src.getFlat(idx[k]);
        }
        return NDArray.of(out, x[1].shape()).astype(src.dtype());
    }

    /** The flat positions of {@code index}, checked against a source of {@code size} elements. */
    static int[] indices(String op, NDArray index, int size) {
        if (!index.dtype().isInteger()) {
            throw new IllegalArgumentException(op + ": expected an integer index (INT64), but got dtype "
                    + index.dtype().numpyName() + " (shape " + Shapes.str(index.shape()) + "); convert it with "
                    + "astype(DType.INT64)");
        }
        long[] v = index.toLongArray();
        int[] out = new int[v.length];
        for (int k = 0; k < v.length; k++) {
            long p = v[k] < 0 ? v[k] + size : v[k];
            if (p < 0 || p >= size) {
                throw new IndexOutOfBoundsException(op + ": out of range: tried to access index " + v[k]
                        + " on a tensor of " + size + " elements; indices must be in [" + (-size) + ", " + (size - 1) + "]");
            }
            out[k] = (int) p;
        }
        return out;
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new PutNode(input(0).shape()).apply(gy, input(1)), null};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0] == null ? null : new TakeNode().apply(t[0], input(1));
    }

    @Override
    protected Variable batch(Batch b) {
        // flat positions over the physical input: example e reads its own slice, at offset e * size
        Variable index = b.isBatched(0) ? offset(b.physical(1), b.isBatched(1), b.size(), Shapes.size(b.shape(0)), b.rank(1))
                : b.expanded(1);
        return new TakeNode().apply(b.physical(0), index);
    }

    /**
     * {@code index} (physical, batch axis first if {@code batched}) plus {@code e * size} for example
     * e: the flat positions of each example's slice of a physical value of {@code n} examples.
     */
    static Variable offset(Variable index, boolean batched, int n, int size, int rank) {
        long[] off = new long[n];
        for (int e = 0; e < n; e++) {
            off[e] = (long) e * size;
        }
        int[] s = new int[rank + 1];
        java.util.Arrays.fill(s, 1);
        s[0] = n;
        Variable o = Variable.constant(NDArray.of(off, s));
        Variable i = Vmap.constant(k -> a -> { // negative positions count from the end of each example's slice
            long[] v = a[0].astype(DType.INT64).toLongArray();
            for (int j = 0; j < v.length; j++) {
                v[j] = v[j] < 0 ? v[j] + size : v[j];
            }
            return NDArray.of(v, a[0].shape());
        }, index);
        return batched ? i.add(o) : i.unsqueeze(0).add(o);
    }
}
