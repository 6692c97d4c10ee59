package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * The backward of the logistic sigmoid from its output as one elementwise pass: inputs y (the
 * sigmoid's output) and a cotangent g, output {@code g · y(1 - y)}, bitwise the three-node form
 * {@link SigmoidNode} used to build. Linear in g: its own backward is itself on the
 * incoming gradient for g and {@code gz · g · (1 - 2y)} for y, so higher derivatives of sigmoid go
 * through it; y and g broadcast together (as under vmap, where one may be unbatched).
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class SigmoidGradNode extends Node {
    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].sigmoidBackward(x[1]);
    }

    @Override
    protected Variable[] backward(Variable gz) {
        Variable y = input(0);
        Variable g = input(1);
        Variable gy = needsInputGrad(0) ? gz.mul(g).mul(y.mul(-2.0).add(1.0)).sumTo(y.shape()) : null;
        Variable gg = needsInputGrad(1) ? new SigmoidGradNode().apply(y, gz).sumTo(g.shape()) : null;
        return new Variable[] {gy, gg};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        Variable y = input(0);
        Variable ty = t[0] == null ? null : t[0].mul(input(1)).mul(y.mul(-2.0).add(1.0));
        Variable tg = t[1] == null ? null : new SigmoidGradNode().apply(y, t[1]);
        return ty == null ? tg : tg == null ? ty : ty.add(tg);
    }

    @Override
    protected Variable batch(Batch b) {
        int r = b.maxRank();
        return new SigmoidGradNode().apply(b.aligned(0, r), b.aligned(1, r));
    }
}
