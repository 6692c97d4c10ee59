package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/** Cosine: d(cos x) = -sin x dx. */
public final class CosNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].cos();
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.mul(input(0).sin()).neg()};
    }
}
