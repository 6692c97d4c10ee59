package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Square root; backward reuses the output: d(√x) = dx / (2√x).
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
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

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0].div(output().mul(2.0));
    }

    @Override
    protected Variable batch(Batch b) {
        return new SqrtNode().apply(b.physical(0)); // elementwise: the same op on the whole batch
    }
}
