package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * The backward of leaky ReLU as one elementwise pass: inputs x and a cotangent g of x's shape,
 * output {@code g · (x > 0 ? 1 : slope)} (bitwise {@code g} times the mask {@link LeakyReluNode}
 * used to build from two nodes, without the mask array). Linear in g, piecewise constant in x, so
 * its own backward is itself applied to the incoming gradient for g and no gradient (zero) for x;
 * x and g broadcast together (as under vmap, where one of them may be unbatched);
 * that makes ReLU's derivatives of every order, its tangent rule and its vmap rule go through it.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class LeakyReluGradNode extends Node {
    private final double slope;

    /** The backward of a leaky ReLU with the given negative slope (0 gives ReLU). */
    public LeakyReluGradNode(double slope) {
        this.slope = slope;
    }

    @Override
    public String name() {
        return slope == 0 ? "ReLUGrad" : "LeakyReLUGrad";
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].leakyReluBackward(x[1], slope);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        // sumTo: under vmap one side may be broadcast (an unbatched x or g against a batched other)
        Variable gg = needsInputGrad(1) ? new LeakyReluGradNode(slope).apply(input(0), gy).sumTo(input(1).shape()) : null;
        return new Variable[] {null, gg}; // zero derivative in x away from 0, where the mask is constant
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[1] == null ? null : new LeakyReluGradNode(slope).apply(input(0), t[1]);
    }

    @Override
    protected Variable batch(Batch b) {
        int r = b.maxRank(); // x and g share a logical shape; line the batch axes up in front of it
        return new LeakyReluGradNode(slope).apply(b.aligned(0, r), b.aligned(1, r));
    }
}
