package dev.nabla.optim;

/**
 * Decays the learning rate by {@code gamma} every {@code stepSize} epochs: {@code lr =
 * base·γ^⌊epoch/stepSize⌋}.
 * Not thread-safe: a scheduler keeps its epoch count; step it on the training thread, as its
 * optimizer.
 */
public final class StepLR extends LrScheduler {
    private final int stepSize;
    private final double gamma;

    /** A step schedule; PyTorch's default gamma is 0.1. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR: stepSize must be >= 1 but is " + stepSize);
        }
        checkGamma("StepLR", gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    @Override
    public double lrAt(int epoch) {
        return baseLr() * Math.pow(gamma, epoch / stepSize);
    }
}
