package dev.nabla.nn.conv;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;

/**
 * The gradient of a convolution with respect to its weight, as a graph node: inputs x
 * (N, C, H, W) and gy (N, OC, OH, OW); output gw of the weight's shape (OC, C, KH, KW),
 * {@code gw = Σ_n gy[n] · im2col(x[n])ᵀ}. Bilinear in (x, gy), so its backward is a
 * {@link Conv2dInputGradNode} for x and a {@link Conv2dNode} for gy.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
 */
public final class Conv2dWeightGradNode extends Node {
    private final ConvGeometry geometry;
    private final int[] weightShape;

    /** The weight gradient of a convolution with {@code geometry} whose weight has {@code weightShape} (OC, C, KH, KW). */
    public Conv2dWeightGradNode(ConvGeometry geometry, int[] weightShape) {
        this.geometry = geometry;
        this.weightShape = weightShape.clone();
    }

    @Override
    protected NDArray forward(NDArray... in) {
        NDArray x = in[0];
        int[] xs = x.shape();
        Conv2dNode.check(geometry, xs, weightShape, null);
        int[] o = geometry.outputSize(xs);
        Conv2dInputGradNode.requireOutputGradient(geometry, in[1].shape(), xs[0], weightShape[0], o);
        boolean f32 = Results.dtype(x, in[1]) == DType.FLOAT32;
        Object gw = ConvKernels.weightGrad(Results.values(x, f32), xs, Results.values(in[1], f32), weightShape[0],
                geometry, o);
        return Results.wrap(gw, weightShape.clone());
    }

    @Override
    protected Variable[] backward(Variable ggw) {
        Variable x = input(0);
        Variable gy = input(1);
        Variable dx = x.requiresGrad() ? new Conv2dInputGradNode(geometry, x.shape()).apply(gy, ggw) : null;
        Variable dgy = gy.requiresGrad() ? new Conv2dNode(geometry).apply(x, ggw) : null;
        return new Variable[] {dx, dgy};
    }

    /** The forward-mode rule, beside backward. */
    @Override
    protected Variable tangent(Variable[] t) {
        // bilinear in (x, gy)
        Variable y = t[0] == null ? null : new Conv2dWeightGradNode(geometry, weightShape).apply(t[0], input(1));
        if (t[1] != null) {
            Variable d = new Conv2dWeightGradNode(geometry, weightShape).apply(input(0), t[1]);
            y = y == null ? d : y.add(d);
        }
        return y;
    }

    @Override
    protected Variable batch(Batch b) {
        // gw = gy · columns(x)ᵀ per example: a sum over N and the output positions, so the batch cannot join N
        Variable gw = ConvBatching.channelsFirst(b, 1).matmul(ConvBatching.columns(b, 0, geometry), false, true);
        return gw.reshape(b.withBatch(weightShape));
    }
}
