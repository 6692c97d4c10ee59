package dev.nabla.nn.conv;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Gather by a fixed index map: output element k (of {@code outputShape}) is input element
 * {@code index[k]}, or 0 where {@code index[k]} is negative. The adjoint of {@link PoolScatterNode}
 * (and its backward is that scatter), used for second derivatives of max pooling.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
 */
public final class PoolGatherNode extends Node {
    private final int[] index;
    private final int[] outputShape;
    private int[] inputShape;

    /** Gathers {@code index.length} elements into {@code outputShape}. */
    public PoolGatherNode(int[] index, int[] outputShape) {
        this.index = index;
        this.outputShape = outputShape.clone();
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        inputShape = x[0].shape();
        if (x[0].dtype() == DType.FLOAT32) {
            float[] out = new float[index.length];
            for (int k = 0; k < index.length; k++) {
                out[k] = index[k] < 0 ? 0f : (float) x[0].getFlat(index[k]); // exact: float32 widened and narrowed
            }
            return NDArray.of(out, outputShape.clone());
        }
        double[] out = new double[index.length];
        for (int k = 0; k < index.length; k++) {
            out[k] = index[k] < 0 ? 0.0 : x[0].getFlat(index[k]);
        }
        return NDArray.of(out, outputShape.clone());
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new PoolScatterNode(index, inputShape).apply(gy)};
    }

    /** The forward-mode rule, beside backward. */
    @Override
    protected Variable tangent(Variable[] t) {
        return t[0] == null ? null : new PoolGatherNode(index, outputShape).apply(t[0]); // linear
    }

    @Override
    protected Variable batch(Batch b) {
        inputShape = b.shape(0); // what backward reads, as forward sets it
        int[] idx = ConvBatching.batchedIndex(index, b.size(), Shapes.size(inputShape));
        return new PoolGatherNode(idx, b.withBatch(outputShape)).apply(b.physical(0));
    }
}
