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
        double s = slope;
        return x[0].map(v -> v > 0 ? v : s * v);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        double s = slope;
        NDArray mask = input(0).data().map(v -> v > 0 ? 1.0 : s);
        return new Variable[] {gy.mul(Variable.constant(mask))};
    }
}
