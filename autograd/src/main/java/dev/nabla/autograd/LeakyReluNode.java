package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * Leaky ReLU (plain ReLU for slope 0): x where x > 0, else slope·x; gradient 1 or slope.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class LeakyReluNode extends Node {
    private final double slope;

    /** A leaky ReLU with the given negative slope (0 gives ReLU). */
    public LeakyReluNode(double slope) {
        this.slope = slope;
    }

    @Override
    public String name() {
        return slope == 0 ? "ReLU" : "LeakyReLU";
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].leakyRelu(slope);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        // one pass, bitwise gy times the 0/1 (or slope) mask; a node, so a compiled replay recomputes it
        return new Variable[] {new LeakyReluGradNode(slope).apply(input(0), gy)};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return new LeakyReluGradNode(slope).apply(input(0), t[0]);
    }

    @Override
    protected Variable batch(Batch b) {
        return new LeakyReluNode(slope).apply(b.physical(0));
    }
}
