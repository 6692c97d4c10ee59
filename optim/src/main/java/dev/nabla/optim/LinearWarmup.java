package dev.nabla.optim;

/**
 * Linear warm-up: the learning rate rises linearly from {@code startFactor·base} at epoch 0 to
 * {@code base} at epoch {@code warmupSteps} (PyTorch's {@code LinearLR} with end factor 1:
 * {@code lr = base·(s + (1 − s)·min(epoch, W)/W)}). Given a schedule {@code after}, built on the
 * same optimizer beforehand, the warm-up ramps to that schedule's base rate and then hands over:
 * {@code lr = after.lrAt(epoch − W)} from epoch W on. Step only the warm-up, not {@code after}.
 * Not thread-safe: a scheduler keeps its epoch count; step it on the training thread, as its
 * optimizer.
 */
public final class LinearWarmup extends LrScheduler {
    private final int warmupSteps;
    private final double startFactor;
    private final LrScheduler after;

    /** A warm-up that stays at the base rate once finished. */
    public LinearWarmup(Optimizer optimizer, int warmupSteps, double startFactor) {
        this(optimizer, warmupSteps, startFactor, null);
    }

    /** A warm-up followed by {@code after} (which must drive the same optimizer); {@code after} may be null. */
    public LinearWarmup(Optimizer optimizer, int warmupSteps, double startFactor, LrScheduler after) {
        super(optimizer);
        if (warmupSteps < 1) {
            throw new IllegalArgumentException("LinearWarmup: warmupSteps must be >= 1 but is " + warmupSteps);
        }
        if (!(startFactor >= 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearWarmup: startFactor must be in [0, 1] but is " + startFactor);
        }
        if (after != null && after.optimizer() != optimizer) {
            throw new IllegalArgumentException("LinearWarmup: the schedule to follow the warm-up drives a different "
                    + "optimizer; build it on the same optimizer as the warm-up");
        }
        this.warmupSteps = warmupSteps;
        this.startFactor = startFactor;
        this.after = after;
        start();
    }

    @Override
    public double lrAt(int epoch) {
        if (after != null && epoch >= warmupSteps) {
            return after.lrAt(epoch - warmupSteps);
        }
        double target = after != null ? after.baseLr() : baseLr();
        return target * (startFactor + (1 - startFactor) * Math.min(epoch, warmupSteps) / warmupSteps);
    }
}
