package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Elementwise power {@code x^y} with a variable exponent and broadcasting, with PyTorch's
 * semantics (where {@link PowNode} has a constant exponent). The value is {@link Math#pow}: a
 * negative base with an integer exponent gives the real power ({@code (-2)^3 = -8}), with a
 * non-integer exponent NaN. The gradients are PyTorch's {@code pow_backward_self} and
 * {@code pow_backward_exponent}:
 * {@code d/dx = y x^(y-1)}, but 0 where {@code y == 0} (so {@code 0^0} has gradient 0, not NaN);
 * {@code d/dy = x^y log x}, but 0 where {@code x == 0} and {@code y >= 0} (the limit, not
 * {@code 0 · -inf}). Both are built from differentiable operations, so second derivatives work;
 * the masks are constants and the masked positions evaluate a finite stand-in
 * ({@code x^0}, {@code log 1}) so that no NaN leaks into a higher derivative through them.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class PowTensorNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].pow(x[1]);
    }

    @Override
    protected boolean savesOutput() {
        return true;
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable x = input(0);
        Variable y = input(1);
        Variable gx = null;
        Variable gExp = null;
        if (needsInputGrad(0)) {
            gx = gy.mul(baseDerivative()).sumTo(x.shape());
        }
        if (needsInputGrad(1)) {
            gExp = gy.mul(exponentDerivative()).sumTo(y.shape());
        }
        return new Variable[] {gx, gExp};
    }

    /** {@code ∂(x^y)/∂x = y x^(y-1)}, 0 where {@code y == 0} (x^0 = 1 is constant even at x = 0). */
    private Variable baseDerivative() {
        Variable x = input(0);
        Variable y = input(1);
        Variable zeroExp = Vmap.constant(k -> a -> a[0].eq(0.0).astype(y.dtype()), y);
        // where y == 0 use exponent 1 (x^0 = 1 is finite even at x = 0), then zero those positions
        Variable ySafe = y.add(zeroExp);
        return ySafe.mul(new PowTensorNode().apply(x, ySafe.sub(1.0))).mul(zeroExp.rsub(1.0));
    }

    /** {@code ∂(x^y)/∂y = x^y log x}, 0 where {@code x == 0} and {@code y >= 0}. */
    private Variable exponentDerivative() {
        Variable x = input(0);
        Variable y = input(1);
        Variable zeroBase = Vmap.constant(k -> a -> a[0].eq(0.0).logicalAnd(a[1].ge(0.0)).astype(x.dtype()), x, y);
        // where x == 0 and y >= 0 take log 1 = 0 instead of log 0 = -inf, then zero those positions
        Variable logX = x.add(zeroBase).log();
        return output().mul(logX).mul(zeroBase.rsub(1.0));
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable tx = t[0] == null ? null : t[0].mul(baseDerivative());
        Variable te = t[1] == null ? null : t[1].mul(exponentDerivative());
        return (tx == null ? te : te == null ? tx : tx.add(te)).broadcastTo(output().shape());
    }

    @Override
    protected Variable batch(Batch b) {
        int r = b.maxRank(); // broadcasting: line the batch axes up in front of the logical ones
        return new PowTensorNode().apply(b.aligned(0, r), b.aligned(1, r));
    }
}
