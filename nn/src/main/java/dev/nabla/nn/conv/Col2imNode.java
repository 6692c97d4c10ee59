package dev.nabla.nn.conv;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;

/**
 * The col2im fold as a graph node: columns (C·KH·KW, N·OH·OW) scatter-added back into an
 * (N, C, H, W) array, see {@link Im2col}. It is the adjoint of {@link Im2colNode}, so its backward
 * is an {@link Im2colNode} (and that one's backward is this node again).
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
 */
public final class Col2imNode extends Node {
    private final ConvGeometry geometry;
    private final int[] imageShape;

    /** Folds into an image of {@code imageShape} (N, C, H, W) with {@code geometry}. */
    public Col2imNode(ConvGeometry geometry, int[] imageShape) {
        this.geometry = geometry;
        this.imageShape = imageShape.clone();
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return Im2col.col2im(x[0], imageShape, geometry);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new Im2colNode(geometry).apply(gy)};
    }

    /** The forward-mode rule, beside backward. */
    @Override
    protected Variable tangent(Variable[] t) {
        return t[0] == null ? null : new Col2imNode(geometry, imageShape).apply(t[0]); // linear
    }

    @Override
    protected Variable batch(Batch b) {
        return ConvBatching.images(b, b.physical(0), geometry, imageShape);
    }
}
