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
 * the end of their constructor.
 * Not thread-safe: a scheduler keeps its epoch count; step it on the training thread, as its
 * optimizer.
 */
public abstract class LrScheduler {
    private final Optimizer optimizer;
    private final double baseLr;
    private int epoch;

    /** Binds the schedule to {@code optimizer}, whose current learning rate becomes the base rate. */
    protected LrScheduler(Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer must not be null");
        }
        this.optimizer = optimizer;
        this.baseLr = optimizer.lr();
    }

    /** Sets the optimizer's learning rate for epoch 0; subclasses call this last in their constructor. */
    protected final void start() {
        optimizer.setLr(lrAt(0));
    }

    /** The learning rate this schedule gives at {@code epoch} (0 is the first epoch). */
    public abstract double lrAt(int epoch);

    /** Advances one epoch and sets the optimizer's learning rate to {@code lrAt(epoch)}. */
    public final void step() {
        epoch++;
        optimizer.setLr(lrAt(epoch));
    }

    /** Jumps to {@code epoch} (for resuming from a checkpoint) and sets the learning rate accordingly. */
    public final void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".setEpoch: epoch must be >= 0 but is " + epoch);
        }
        this.epoch = epoch;
        optimizer.setLr(lrAt(epoch));
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
