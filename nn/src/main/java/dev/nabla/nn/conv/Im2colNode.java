package dev.nabla.nn.conv;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;

/**
 * The im2col unfolding as a graph node: (N, C, H, W) to columns (C·KH·KW, N·OH·OW), see
 * {@link Im2col}. It is linear, so its backward is its adjoint {@link Col2imNode}, whose own
 * backward is this node again: derivatives of every order come for free.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
 */
public final class Im2colNode extends Node {
    private final ConvGeometry geometry;
    private int[] inputShape;

    /** Unfolds with {@code geometry}. */
    public Im2colNode(ConvGeometry geometry) {
        this.geometry = geometry;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        inputShape = x[0].shape();
        return Im2col.im2col(x[0], geometry);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new Col2imNode(geometry, inputShape).apply(gy)};
    }

    /** The forward-mode rule, beside backward. */
    @Override
    protected Variable tangent(Variable[] t) {
        return t[0] == null ? null : new Im2colNode(geometry).apply(t[0]); // linear: the same unfolding
    }

    @Override
    protected Variable batch(Batch b) {
        inputShape = b.shape(0); // what backward reads, as forward sets it
        return ConvBatching.columns(b, 0, geometry);
    }
}
