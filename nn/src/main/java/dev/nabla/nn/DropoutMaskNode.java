package dev.nabla.nn;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Random;

/**
 * Draws inverted dropout's mask in the shape and dtype of its (detached) input: one
 * {@link Random#nextDouble()} per element in row-major order, 0 below {@code p}, else
 * {@code scale}. The draw happens in forward so that a compiled step, which re-runs forwards,
 * draws the same sequence as eager mode. The mask is a constant: no gradient, a zero tangent.
 * Not thread-safe: one application, on one thread (it advances {@code rng}).
 */
final class DropoutMaskNode extends Node {
    private final double p;
    private final double scale;
    private final Random rng;

    DropoutMaskNode(double p, double scale, Random rng) {
        this.p = p;
        this.scale = scale;
        this.rng = rng;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... xs) {
        double[] mask = new double[xs[0].size()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() < p ? 0.0 : scale;
        }
        return NDArray.of(mask, xs[0].shape()).astype(xs[0].dtype());
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {null};
    }

    @Override
    protected Variable tangent(Variable[] inputTangents) {
        return null;
    }

    /**
     * The batching rule: refused, as functorch's default randomness mode ('error') does — one draw
     * per physical element would not match drawing for each example in turn.
     */
    @Override
    protected Variable batch(Batch b) {
        throw b.refuse("draws random numbers: vmap does not vectorize randomness (functorch's 'error' mode); draw the "
                + "mask outside vmap and pass it in, or run dropout outside vmap");
    }
}
