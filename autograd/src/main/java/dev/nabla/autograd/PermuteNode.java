package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Axis permutation (transpose); backward applies the inverse permutation.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class PermuteNode extends Node {
    private final int[] perm;

    /** Result axis i is input axis {@code perm[i]}. */
    public PermuteNode(int... perm) {
        this.perm = perm.clone();
    }

    @Override
    public String name() {
        return "Transpose";
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].permute(perm);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        int[] p = NDArray.checkPerm(perm, perm.length);
        int[] inv = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            inv[p[i]] = i;
        }
        return new Variable[] {gy.permute(inv)};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0].permute(perm);
    }

    @Override
    protected Variable batch(Batch b) {
        int r = b.rank(0);
        int[] p = new int[perm.length + 1];
        for (int i = 0; i < perm.length; i++) {
            p[i + 1] = dev.nabla.ndarray.Shapes.axis("permute", perm[i], r) + 1;
        }
        return new PermuteNode(p).apply(b.physical(0));
    }
}
