package dev.nabla.autograd;

import dev.nabla.ndarray.Gather;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * NumPy-style indexing (slices, positions, integer arrays); backward scatter-adds with {@link
 * GetItemGradNode}.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class GetItemNode extends Node {
    private final Index[] index;
    private Gather gather;

    /** Indexes with {@code index}. */
    public GetItemNode(Index... index) {
        this.index = index.clone();
    }

    GetItemNode(Gather gather) {
        this.index = null;
        this.gather = gather;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        if (gather == null) {
            gather = Gather.resolve(x[0].shape(), index);
        }
        return gather.gather(x[0]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new GetItemGradNode(gather).apply(gy)};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return new GetItemNode(gather).apply(t[0]);
    }

    @Override
    protected Variable batch(Batch b) {
        if (gather == null) {
            gather = Gather.resolve(b.shape(0), index); // what backward reads, as forward sets it
        }
        return new GetItemNode(batched(gather, b.size())).apply(b.physical(0));
    }

    /** {@code g} over a leading batch axis of size {@code n}: each example reads its own slice. */
    static Gather batched(Gather g, int n) {
        int[] off = g.offsets();
        int src = dev.nabla.ndarray.Shapes.size(g.sourceShape());
        int[] all = new int[n * off.length];
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < off.length; k++) {
                all[e * off.length + k] = e * src + off[k];
            }
        }
        return Gather.of(withBatch(n, g.sourceShape()), withBatch(n, g.resultShape()), all);
    }

    private static int[] withBatch(int n, int[] s) {
        int[] t = new int[s.length + 1];
        t[0] = n;
        System.arraycopy(s, 0, t, 1, s.length);
        return t;
    }
}
