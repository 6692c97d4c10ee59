package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/** Square root; backward reuses the output: d(√x) = dx / (2√x). */
public final class SqrtNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].sqrt();
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected boolean savesOutput() {
        return true;
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.div(output().mul(2.0))};
    }
}
