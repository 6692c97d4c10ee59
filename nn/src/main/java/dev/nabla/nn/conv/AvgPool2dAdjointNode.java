package dev.nabla.nn.conv;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * The adjoint of {@link AvgPool2dNode} (its backward): every pooled value, divided by its window's
 * divisor, is added to each real input position of its window. Linear; its backward is the
 * average pooling again, so derivatives of every order work.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
 */
public final class AvgPool2dAdjointNode extends Node {
    private final ConvGeometry geometry;
    private final boolean countIncludePad;
    private final int divisorOverride;
    private final int[] imageShape;

    /** Spreads pooled values back into an image of {@code imageShape} (N, C, H, W), padding counted in the divisor. */
    public AvgPool2dAdjointNode(ConvGeometry geometry, int[] imageShape) {
        this(geometry, true, 0, imageShape);
    }

    /**
     * The adjoint of {@code new AvgPool2dNode(geometry, countIncludePad, divisorOverride)} for an
     * image of {@code imageShape} (N, C, H, W).
     */
    public AvgPool2dAdjointNode(ConvGeometry geometry, boolean countIncludePad, int divisorOverride, int[] imageShape) {
        AvgPool2dNode.requireNoDilation(geometry);
        this.geometry = geometry;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
        this.imageShape = imageShape.clone();
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... xs) {
        int[] o = geometry.outputSize(imageShape);
        int[] expected = {imageShape[0], imageShape[1], o[0], o[1]};
        if (!xs[0].hasShape(expected)) {
            throw new IllegalArgumentException(geometry.op() + ": the adjoint expected pooled values of shape "
                    + Shapes.str(expected) + " but got " + Shapes.str(xs[0].shape()));
        }
        double[] image = new double[Shapes.size(imageShape)];
        AvgPool2dNode.apply(geometry, countIncludePad, divisorOverride, imageShape, o, image, xs[0].toArray(), true);
        return Results.of(xs[0].dtype(), image, imageShape.clone());
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new AvgPool2dNode(geometry, countIncludePad, divisorOverride).apply(gy)};
    }

    /** The forward-mode rule, beside backward. */
    @Override
    protected Variable tangent(Variable[] t) {
        return t[0] == null ? null
                : new AvgPool2dAdjointNode(geometry, countIncludePad, divisorOverride, imageShape).apply(t[0]); // linear
    }

    @Override
    protected Variable batch(Batch b) {
        return b.unfolded(new AvgPool2dAdjointNode(geometry, countIncludePad, divisorOverride,
                ConvBatching.folded(b.size(), imageShape)).apply(b.folded(0)));
    }
}
