package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Matrix product {@code C = op(A) op(B)} of operands with at least 2 axes (batched, broadcast batch
 * axes), where {@code op} transposes the last two axes when its flag is set. The GEMM reads
 * transposed operands in place, so neither the forward nor the backward copies a transpose:
 * for {@code C = A B}, {@code dA = dC Bᵀ} and {@code dB = Aᵀ dC} are themselves flagged products
 * (and likewise for the other three flag combinations), recorded as MatMul nodes so that
 * higher derivatives follow.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class MatMulNode extends Node {
    private final boolean transA;
    private final boolean transB;

    /** The plain product {@code A B}. */
    public MatMulNode() {
        this(false, false);
    }

    /** The product {@code op(A) op(B)}. */
    public MatMulNode(boolean transA, boolean transB) {
        this.transA = transA;
        this.transB = transB;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].matmul(x[1], transA, transB);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable a = input(0);
        Variable b = input(1);
        Variable ga = null;
        Variable gb = null;
        if (needsInputGrad(0)) {
            // d op(A) = dC op(B)ᵀ; dA is that, or its transpose when A entered transposed.
            ga = transA ? b.matmul(gy, transB, true) : gy.matmul(b, false, !transB);
            ga = ga.sumTo(a.shape());
        }
        if (needsInputGrad(1)) {
            // d op(B) = op(A)ᵀ dC; dB is that, or its transpose when B entered transposed.
            gb = transB ? gy.matmul(a, true, transA) : a.matmul(gy, !transA, false);
            gb = gb.sumTo(b.shape());
        }
        return new Variable[] {ga, gb};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable ta = t[0] == null ? null : new MatMulNode(transA, transB).apply(t[0], input(1));
        Variable tb = t[1] == null ? null : new MatMulNode(transA, transB).apply(input(0), t[1]);
        return ta == null ? tb : tb == null ? ta : ta.add(tb);
    }

    @Override
    public String name() {
        return transA || transB ? "MatMul" + (transA ? "[Aᵀ]" : "") + (transB ? "[Bᵀ]" : "") : "MatMul";
    }

    @Override
    protected Variable batch(Batch b) {
        int r = b.maxRank(); // the batch axis joins the broadcast batch axes of the product
        return new MatMulNode(transA, transB).apply(b.aligned(0, r), b.aligned(1, r));
    }
}
