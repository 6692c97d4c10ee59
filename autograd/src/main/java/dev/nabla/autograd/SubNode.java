package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/** Elementwise difference with broadcasting. */
public final class SubNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].sub(x[1]);
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.sumTo(input(0).shape()), gy.neg().sumTo(input(1).shape())};
    }
}
