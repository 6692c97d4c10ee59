package dev.nabla.optim;

/**
 * Decays the learning rate by {@code gamma} every epoch: {@code lr = base·γ^epoch}.
 * Not thread-safe: a scheduler keeps its epoch count; step it on the training thread, as its
 * optimizer.
 */
public final class ExponentialLR extends LrScheduler {
    private final double gamma;

    /** An exponential schedule with decay factor {@code gamma}. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        checkGamma("ExponentialLR", gamma);
        this.gamma = gamma;
        start();
    }

    @Override
    public double lrAt(int epoch) {
        return baseLr() * Math.pow(gamma, epoch);
    }
}
