package dev.nabla.nn;

import dev.nabla.ndarray.Shapes;

/**
 * Batch normalization of {@code (N, C)} or {@code (N, C, L)} inputs per feature C, as PyTorch's
 * {@code nn.BatchNorm1d}: in training, {@code (x - mean) / sqrt(var + eps) * γ + β} with the
 * batch's mean and biased variance over N (and L), and the running statistics updated with
 * momentum (unbiased variance); in evaluation, the running statistics instead. Defaults:
 * eps 1e-5, momentum 0.1, affine (γ = 1, β = 0). State dict keys: {@code weight}, {@code bias},
 * {@code running_mean}, {@code running_var}, {@code num_batches_tracked}.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class BatchNorm1d extends BatchNormBase {

    /** With eps 1e-5, momentum 0.1 and a learnable affine transform. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true);
    }

    /** With explicit eps, momentum (weight of the new batch in the running update) and affine flag. */
    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine) {
        super(numFeatures, eps, momentum, affine);
    }

    @Override
    void checkRank(int[] shape) {
        if (shape.length != 2 && shape.length != 3) {
            throw new IllegalArgumentException("BatchNorm1d: expected 2D (N, C) or 3D (N, C, L) input, got "
                    + shape.length + "D input of shape " + Shapes.str(shape));
        }
    }
}
