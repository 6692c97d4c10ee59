package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/** Natural logarithm: d(log x) = dx / x. */
public final class LogNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].log();
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.div(input(0))};
    }
}
