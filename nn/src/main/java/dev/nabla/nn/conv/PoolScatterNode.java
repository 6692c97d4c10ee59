package dev.nabla.nn.conv;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.Node;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * Scatter-add by a fixed index map: output (of {@code targetShape}) position {@code index[k]}
 * receives input element k; a negative {@code index[k]} drops element k (a max-pooling window
 * with no real input). This is the backward of max pooling (each gradient goes to the position of
 * its window's maximum). Linear; its backward is the gather {@link PoolGatherNode}.
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@code apply} is refused); once recorded, several threads may backpropagate through it at
 * once with retainGraph, since its backward only reads what its forward saved.
 */
public final class PoolScatterNode extends Node {
    private final int[] index;
    private final int[] targetShape;
    private int[] sourceShape;

    /** Scatters into an array of {@code targetShape}; {@code index} holds one flat target position per input element. */
    public PoolScatterNode(int[] index, int[] targetShape) {
        this.index = index;
        this.targetShape = targetShape.clone();
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        NDArray g = x[0];
        sourceShape = g.shape();
        if (g.size() != index.length) {
            throw new IllegalArgumentException("PoolScatter: expected " + index.length + " values, but got an array of "
                    + "shape " + Shapes.str(g.shape()));
        }
        int size = Shapes.size("PoolScatter", targetShape);
        if (g.dtype() == DType.FLOAT32) { // summed in float, as every float32 op
            float[] out = new float[size];
            for (int k = 0; k < index.length; k++) {
                if (index[k] >= 0) {
                    out[index[k]] += (float) g.getFlat(k);
                }
            }
            return NDArray.of(out, targetShape.clone());
        }
        double[] out = new double[size];
        for (int k = 0; k < index.length; k++) {
            if (index[k] >= 0) {
                out[index[k]] += g.getFlat(k);
            }
        }
        return NDArray.of(out, targetShape.clone());
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {new PoolGatherNode(index, sourceShape).apply(gy)};
    }

    /** The forward-mode rule, beside backward. */
    @Override
    protected Variable tangent(Variable[] t) {
        return t[0] == null ? null : new PoolScatterNode(index, targetShape).apply(t[0]); // linear
    }

    @Override
    protected Variable batch(Batch b) {
        sourceShape = b.shape(0); // what backward reads, as forward sets it
        int[] idx = ConvBatching.batchedIndex(index, b.size(), Shapes.size(targetShape));
        return new PoolScatterNode(idx, b.withBatch(targetShape)).apply(b.physical(0));
    }
}
