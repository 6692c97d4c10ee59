package dev.nabla.nn;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.MatMulNode;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.RowKernels;

/**
 * The affine map {@code y = x Wᵀ + b} of a fully connected layer as one graph node (PyTorch's
 * {@code addmm}): inputs x (M, in), W (out, in) and b (out); output (M, out). The forward pass
 * multiplies through the GEMM's transposed-operand path and adds the bias into the product's own
 * storage ({@link RowKernels}), so it allocates one array instead of two and records one node
 * instead of two; the values are bitwise those of {@code x.matmul(W, false, true).add(b)}. Backward
 * is built from Variable operations, {@code dx = dy W}, {@code dW = dyᵀ x}, {@code db = Σ_rows dy},
 * each only for an input that requires grad (so a data batch gets no gradient), and is itself
 * differentiable to any order.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
 */
public final class LinearNode extends Node {
    @Override
    protected NDArray forward(NDArray... in) {
        NDArray y = in[0].matmul(in[1], false, true);
        if (RowKernels.supports(y, in[2])) {
            RowKernels.addRowInPlace(y, in[2]); // y is new and no one else holds it yet
            return y;
        }
        return y.add(in[2]); // mixed dtypes: the broadcast add promotes as unfused code would
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable x = input(0);
        Variable w = input(1);
        Variable gx = needsInputGrad(0) ? gy.matmul(w, false, false) : null;
        Variable gw = needsInputGrad(1) ? gy.matmul(x, true, false) : null;
        Variable gb = needsInputGrad(2) ? gy.sumTo(input(2).shape()) : null;
        return new Variable[] {gx, gw, gb};
    }

    /** The forward-mode rule, beside backward: bilinear in (x, W), plus the bias broadcast over the rows. */
    @Override
    protected Variable tangent(Variable[] t) {
        Variable y = null;
        if (t[0] != null) {
            y = new MatMulNode(false, true).apply(t[0], input(1));
        }
        if (t[1] != null) {
            Variable d = new MatMulNode(false, true).apply(input(0), t[1]);
            y = y == null ? d : y.add(d);
        }
        if (t[2] != null) {
            Variable d = t[2].broadcastTo(output().shape());
            y = y == null ? d : y.add(d);
        }
        return y;
    }

    /**
     * The batching rule, beside tangent: the vmap axis joins the broadcast batch axes of the product
     * (as {@link MatMulNode}'s rule does), the bias lines up behind it; a shared or per-example
     * weight alike.
     */
    @Override
    protected Variable batch(Batch b) {
        int r = Math.max(b.rank(0), 2);
        Variable y = new MatMulNode(false, true).apply(b.aligned(0, r), b.aligned(1, r));
        return y.add(b.aligned(2, r));
    }

    @Override
    public String name() {
        return "Linear";
    }
}
