package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/** Elementwise sum with broadcasting; backward sums the gradient down to each input's shape. */
public final class AddNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].add(x[1]);
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.sumTo(input(0).shape()), gy.sumTo(input(1).shape())};
    }
}
