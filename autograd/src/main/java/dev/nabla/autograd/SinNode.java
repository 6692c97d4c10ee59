package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/** Sine: d(sin x) = cos x dx. */
public final class SinNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].sin();
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.mul(input(0).cos())};
    }
}
