package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/** Negation. */
public final class NegNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].neg();
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.neg()};
    }
}
