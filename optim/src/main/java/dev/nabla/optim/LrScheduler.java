package dev.nabla.optim;

/**
 * A learning-rate schedule given in closed form, {@code lr = lrAt(epoch)}, that drives an
 * optimizer by setting its learning rate. It works with any {@link Optimizer}.
 *
 * <p>As in PyTorch, constructing a schedule records the optimizer's current learning rate as the
 * base rate and sets the rate for epoch 0; call {@link #step()} once per epoch (or per iteration,
 * for warm-up and cosine schedules counted in iterations) after {@code optimizer.step()}. Because the
 * rate is a function of the epoch alone, {@link #setEpoch(int)} resumes a schedule exactly.
 *
 * <p>Subclasses compute {@link #lrAt(int)} from {@link #baseLr()} and must call {@link #start()} at
 * the end of their constructor. With parameter groups every group follows the schedule from its own
 * initial rate (PyTorch's {@code initial_lr}): by {@link #lrAt(int, double)}, which scales
 * {@code lrAt(epoch)} by the group's initial rate over the base rate unless a schedule overrides it.
 * Not thread-safe: a scheduler keeps its epoch count; step it on the training thread, as its
 * optimizer.
 */
public abstract class LrScheduler {
    private final Optimizer optimizer;
    private final double baseLr;
    private final double[] groupBase;
    private int epoch;

    /** Binds the schedule to {@code optimizer}, whose current learning rate becomes the base rate. */
    protected LrScheduler(Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer must not be null");
        }
        this.optimizer = optimizer;
        this.baseLr = optimizer.lr();
        this.groupBase = new double[optimizer.groupCount()];
        for (int g = 0; g < groupBase.length; g++) {
            groupBase[g] = optimizer.lr(g);
        }
    }

    /**
     * The rate at {@code epoch} of a group whose initial rate is {@code base}; the default scales
     * {@link #lrAt(int)} by {@code base / baseLr()}, exact for multiplicative schedules.
     */
    protected double lrAt(int epoch, double base) {
        double lr = lrAt(epoch);
        return base == baseLr || baseLr == 0 ? lr : base * (lr / baseLr);
    }

    private void apply(int epoch) {
        if (groupBase.length == 1) {
            optimizer.setLr(lrAt(epoch));
            return;
        }
        for (int g = 0; g < groupBase.length; g++) {
            optimizer.setLr(g, groupBase[g] == baseLr ? lrAt(epoch) : lrAt(epoch, groupBase[g]));
        }
    }

    /** Sets the optimizer's learning rate for epoch 0; subclasses call this last in their constructor. */
    protected final void start() {
        apply(0);
    }

    /** The learning rate this schedule gives at {@code epoch} (0 is the first epoch). */
    public abstract double lrAt(int epoch);

    /** Advances one epoch and sets the optimizer's learning rate to {@code lrAt(epoch)}. */
    public final void step() {
        epoch++;
        apply(epoch);
    }

    /** Jumps to {@code epoch} (for resuming from a checkpoint) and sets the learning rate accordingly. */
    public final void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".setEpoch: epoch must be >= 0 but is " + epoch);
        }
        this.epoch = epoch;
        apply(epoch);
    }

    /** The number of {@link #step()} calls so far (or the epoch set by {@link #setEpoch(int)}). */
    public final int epoch() {
        return epoch;
    }

    /** The learning rate of the current epoch. */
    public final double lastLr() {
        return lrAt(epoch);
    }

    /** The optimizer's learning rate when the schedule was created. */
    public final double baseLr() {
        return baseLr;
    }

    /** The optimizer this schedule drives. */
    public final Optimizer optimizer() {
        return optimizer;
    }

    static void checkGamma(String who, double gamma) {
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException(who + ": gamma must be a finite number > 0 but is " + gamma);
        }
    }
}
