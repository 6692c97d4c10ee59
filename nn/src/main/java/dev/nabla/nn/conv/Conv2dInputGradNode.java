package dev.nabla.nn.conv;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * The gradient of a convolution with respect to its input, as a graph node: inputs gy
 * (N, OC, OH, OW) and weight (OC, C, KH, KW); output gx of the input's shape (N, C, H, W),
 * {@code gx[n] = col2im(Wᵀ · gy[n])} (a transposed convolution). Bilinear in (gy, W), so its
 * backward is a {@link Conv2dNode} for gy and a {@link Conv2dWeightGradNode} for W.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
 */
public final class Conv2dInputGradNode extends Node {
    private final ConvGeometry geometry;
    private final int[] inputShape;

    /** The input gradient of a convolution with {@code geometry} whose input had {@code inputShape} (N, C, H, W). */
    public Conv2dInputGradNode(ConvGeometry geometry, int[] inputShape) {
        this.geometry = geometry;
        this.inputShape = inputShape.clone();
    }

    @Override
    protected NDArray forward(NDArray... in) {
        NDArray gy = in[0];
        int[] ws = in[1].shape();
        Conv2dNode.check(geometry, inputShape, ws, null);
        int[] o = geometry.outputSize(inputShape);
        requireOutputGradient(geometry, gy.shape(), inputShape[0], ws[0], o);
        boolean f32 = Results.dtype(gy, in[1]) == DType.FLOAT32;
        Object gx = ConvKernels.inputGrad(Results.values(gy, f32), inputShape, Results.values(in[1], f32), ws[0],
                geometry, o);
        return Results.wrap(gx, inputShape.clone());
    }

    @Override
    protected Variable[] backward(Variable ggx) {
        Variable gy = input(0);
        Variable w = input(1);
        Variable dgy = gy.requiresGrad() ? new Conv2dNode(geometry).apply(ggx, w) : null;
        Variable dw = w.requiresGrad() ? new Conv2dWeightGradNode(geometry, w.shape()).apply(ggx, gy) : null;
        return new Variable[] {dgy, dw};
    }

    /** The forward-mode rule, beside backward. */
    @Override
    protected Variable tangent(Variable[] t) {
        // bilinear in (gy, w)
        Variable y = t[0] == null ? null : new Conv2dInputGradNode(geometry, inputShape).apply(t[0], input(1));
        if (t[1] != null) {
            Variable d = new Conv2dInputGradNode(geometry, inputShape).apply(input(0), t[1]);
            y = y == null ? d : y.add(d);
        }
        return y;
    }

    /** Fails unless {@code gys} is (N, OC, OH, OW). */
    static void requireOutputGradient(ConvGeometry g, int[] gys, int n, int oc, int[] o) {
        int[] expected = {n, oc, o[0], o[1]};
        if (!java.util.Arrays.equals(gys, expected)) {
            throw new IllegalArgumentException(g.op() + ": expected an output gradient of shape " + Shapes.str(expected)
                    + " but got " + Shapes.str(gys));
        }
    }

    @Override
    protected Variable batch(Batch b) {
        if (!b.isBatched(1)) { // one weight for every example: the batch joins N
            return b.unfolded(new Conv2dInputGradNode(geometry, ConvBatching.folded(b.size(), inputShape))
                    .apply(b.folded(0), b.physical(1)));
        }
        // per-example weights: columns = Wᵀ · gy, folded back to images
        int[] ws = b.shape(1);
        Variable w = b.expanded(1).reshape(b.size(), ws[0], ws[1] * ws[2] * ws[3]);
        Variable cols = w.matmul(ConvBatching.channelsFirst(b, 0), true, false);
        return ConvBatching.images(b, cols, geometry, inputShape);
    }
}
