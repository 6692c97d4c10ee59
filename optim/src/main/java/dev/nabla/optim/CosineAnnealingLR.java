package dev.nabla.optim;

/**
 * Cosine annealing (Loshchilov and Hutter, SGDR, without restarts), PyTorch's closed form:
 * {@code lr = η_min + (base − η_min)·(1 + cos(π·epoch/T_max))/2}, falling from the base rate at
 * epoch 0 to {@code η_min} at {@code T_max} (and rising again after it, as the formula does).
 * Not thread-safe: a scheduler keeps its epoch count; step it on the training thread, as its
 * optimizer.
 */
public final class CosineAnnealingLR extends LrScheduler {
    private final int tMax;
    private final double etaMin;

    /** Anneals from the optimizer's current rate to {@code etaMin} over {@code tMax} epochs. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR: tMax must be >= 1 but is " + tMax);
        }
        if (!(etaMin >= 0) || Double.isInfinite(etaMin)) {
            throw new IllegalArgumentException("CosineAnnealingLR: etaMin must be finite and >= 0 but is " + etaMin);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        start();
    }

    /** Anneals to 0 over {@code tMax} epochs. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    @Override
    public double lrAt(int epoch) {
        return lrAt(epoch, baseLr());
    }

    @Override
    protected double lrAt(int epoch, double base) {
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
