package dev.nabla.train;

import dev.nabla.optim.GradClip;

/**
 * Clips the gradients of the optimizer's parameters to a global L2 norm after every backward pass
 * ({@link GradClip#clipGradNorm}, PyTorch's {@code clip_grad_norm_}). Stateless apart from its
 * norm; the trainer's thread only.
 */
public final class GradClipping implements Callback {
    private final double maxNorm;

    /** Clips to {@code maxNorm} (positive). */
    public GradClipping(double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("GradClipping: the norm must be a positive finite number, got " + maxNorm);
        }
        this.maxNorm = maxNorm;
    }

    @Override
    public void onAfterBackward(TrainContext ctx) {
        GradClip.clipGradNorm(ctx.optimizer().params(), maxNorm);
    }
}
