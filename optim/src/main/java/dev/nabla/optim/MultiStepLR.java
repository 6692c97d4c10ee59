package dev.nabla.optim;

import java.util.Arrays;

/**
 * Decays the learning rate by {@code gamma} at each milestone epoch:
 * {@code lr = base·γ^(number of milestones ≤ epoch)}. A milestone listed twice decays twice, as in PyTorch.
 * Not thread-safe: a scheduler keeps its epoch count; step it on the training thread, as its
 * optimizer.
 */
public final class MultiStepLR extends LrScheduler {
    private final int[] milestones;
    private final double gamma;

    /** A multi-step schedule over the given milestone epochs (any order). */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        checkGamma("MultiStepLR", gamma);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        if (this.milestones.length > 0 && this.milestones[0] < 0) {
            throw new IllegalArgumentException("MultiStepLR: milestones must be >= 0 but got " + Arrays.toString(milestones));
        }
        this.gamma = gamma;
        start();
    }

    @Override
    public double lrAt(int epoch) {
        int passed = 0;
        while (passed < milestones.length && milestones[passed] <= epoch) {
            passed++;
        }
        return baseLr() * Math.pow(gamma, passed);
    }
}
