package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Product of each row of a 2-D array {@code (m, n) -> (m,)}; {@link Variable#prod} moves the
 * reduced axes last and reshapes, so this one kernel serves every axis set. Backward follows
 * PyTorch's rule for zeros: without a zero in the input the gradient is {@code gy * y / x};
 * with one, the gradient of each element is the product of the other elements of its row,
 * computed exactly in O(m n) without dividing by zero (one zero gives the product of the rest at
 * the zero and 0 elsewhere; two zeros give 0), so never NaN, and the second derivative is exact
 * too (it is built from where, sum and this node on zero-free or zero-only rows).
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
        Variable z = x.eq(0.0); // BOOL (batched under vmap)
        if (!Vmap.any(z)) {
            return new Variable[] {g.mul(output().reshape(m, 1)).div(x)};
        }
        // PyTorch's rule, exact to second order in O(m n): with z the zero mask, x' = x with zeros
        // replaced by 1 and P = prod(x'), a nonzero entry gets Q P / x' (Q = the product of the row's
        // zeros: 1 without one, else 0 with the right derivative); a zero entry gets P times the
        // product of the other zeros: 1 with one zero, the other zero (sum of the zeros - x) with two,
        // and 0 with more.
        Variable one = zerosInRow(z, 1);
        Variable two = zerosInRow(z, 2);
        Variable ones = Variable.constant(1.0, x.dtype());
        Variable zeros = Variable.constant(0.0, x.dtype());
        Variable xp = F.where(z, ones, x);
        Variable p = new ProdNode().apply(xp).reshape(m, 1);
        Variable q = new ProdNode().apply(F.where(z, x, ones)).reshape(m, 1);
        Variable sumZeros = F.where(z, x, zeros).sum(new int[] {1}, true);
        Variable others = F.where(one, ones, F.where(two, sumZeros.sub(x), zeros));
        Variable gx = F.where(z, p.mul(others), q.mul(p).div(xp));
        return new Variable[] {g.mul(gx)};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        // each row's product is a scalar function of the row: its tangent is the row's gradient · the tangent
        Variable ones = Variable.constant(NDArray.ones(output().dtype(), output().shape()));
        return backward(ones)[0].mul(t[0]).sum(new int[] {1}, false);
    }

    /** BOOL, of z's shape: whether the row (last axis) of each element holds exactly {@code count} zeros. */
    private static Variable zerosInRow(Variable z, int count) {
        return Vmap.constant(k -> a -> a[0].astype(dev.nabla.ndarray.DType.FLOAT64).sum(new int[] {k + 1}, true)
                .eq(count).broadcastTo(a[0].shape()), z);
    }

    @Override
    protected Variable batch(Batch b) {
        int[] s = b.shape(0); // (m, n): fold the batch into the rows
        Variable rows = b.physical(0).reshape(b.size() * s[0], s[1]);
        return new ProdNode().apply(rows).reshape(b.size(), s[0]);
    }
}
