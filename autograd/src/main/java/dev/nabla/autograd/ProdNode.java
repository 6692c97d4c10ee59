package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Product of each row of a 2-D array {@code (m, n) -> (m,)}; {@link Variable#prod} moves the
 * reduced axes last and reshapes, so this one kernel serves every axis set. Backward follows
 * PyTorch's rule for zeros: without a zero in the input the gradient is {@code gy * y / x};
 * with one, the gradient of each element is the product of the other elements of its row,
 * computed exactly (a where over an {@code (m, n, n)} copy with ones on the diagonal, then this
 * node again), so one zero gives the product of the rest and two zeros give 0, never NaN.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class ProdNode extends Node {
    /** Creates the node; its input must be 2-D. */
    public ProdNode() {}

    @Override
    protected boolean savesOutput() {
        return true;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        if (x[0].ndim() != 2) {
            throw new IllegalArgumentException("ProdNode: expected a 2-D (rows, n) input, got shape "
                    + dev.nabla.ndarray.Shapes.str(x[0].shape()) + "; call Variable.prod, which reshapes to rows");
        }
        return x[0].prod(new int[] {1}, false);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable x = input(0);
        int m = x.shape(0);
        int n = x.shape(1);
        Variable g = gy.reshape(m, 1);
        if (!hasZero(x.data())) {
            return new Variable[] {g.mul(output().reshape(m, 1)).div(x)};
        }
        boolean[] eye = new boolean[n * n];
        for (int i = 0; i < n; i++) {
            eye[i * n + i] = true;
        }
        Variable rows = x.reshape(m, 1, n).broadcastTo(m, n, n);
        Variable others = F.where(NDArray.of(eye, n, n), Variable.constant(1.0, x.dtype()), rows);
        Variable p = new ProdNode().apply(others.reshape(m * n, n)).reshape(m, n);
        return new Variable[] {g.mul(p)};
    }

    private static boolean hasZero(NDArray a) {
        for (boolean z : a.eq(0.0).toBooleanArray()) {
            if (z) {
                return true;
            }
        }
        return false;
    }
}
