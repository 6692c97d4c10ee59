package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Logistic sigmoid; backward reuses the output: dσ = σ(1 - σ) dx.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class SigmoidNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].sigmoid();
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
        Variable y = output();
        return new Variable[] {new SigmoidGradNode().apply(y, gy)};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable y = output();
        return new SigmoidGradNode().apply(y, t[0]);
    }

    @Override
    protected Variable batch(Batch b) {
        return new SigmoidNode().apply(b.physical(0)); // elementwise: the same op on the whole batch
    }
}
