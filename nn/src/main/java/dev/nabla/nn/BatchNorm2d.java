package dev.nabla.nn;

import dev.nabla.ndarray.Shapes;

/**
 * Batch normalization of {@code (N, C, H, W)} inputs per channel C over {@code (N, H, W)}, as
 * PyTorch's {@code nn.BatchNorm2d}; training and evaluation behave as in {@link BatchNorm1d}.
 * Defaults: eps 1e-5, momentum 0.1, affine.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class BatchNorm2d extends BatchNormBase {

    /** With eps 1e-5, momentum 0.1 and a learnable affine transform. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true);
    }

    /** With explicit eps, momentum and affine flag. */
    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    void checkRank(int[] shape) {
        if (shape.length != 4) {
            throw new IllegalArgumentException("BatchNorm2d: expected 4D (N, C, H, W) input, got " + shape.length
                    + "D input of shape " + Shapes.str(shape));
        }
    }
}
