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
        Variable mask = DerivedNode.of(name() + "Mask", input(0), a -> a.leakyReluDerivative(slope));
        return new Variable[] {gy.mul(mask)};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        NDArray mask = input(0).data().leakyReluDerivative(slope);
        return t[0].mul(Variable.constant(mask));
    }
}
