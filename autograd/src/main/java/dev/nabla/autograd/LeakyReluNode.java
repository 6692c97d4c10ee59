package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/** Leaky ReLU (plain ReLU for slope 0): x where x > 0, else slope·x; gradient 1 or slope. */
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
        NDArray mask = input(0).data().leakyReluDerivative(slope);
        return new Variable[] {gy.mul(Variable.constant(mask))};
    }
}
