package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/** Matrix product of operands with at least 2 axes (batched, broadcast batch axes): dA = dC·Bᵀ, dB = Aᵀ·dC. */
public final class MatMulNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].matmul(x[1]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        Variable a = input(0);
        Variable b = input(1);
        Variable ga = a.requiresGrad() ? gy.matmul(b.transpose(-1, -2)).sumTo(a.shape()) : null;
        Variable gb = b.requiresGrad() ? a.transpose(-1, -2).matmul(gy).sumTo(b.shape()) : null;
        return new Variable[] {ga, gb};
    }
}
