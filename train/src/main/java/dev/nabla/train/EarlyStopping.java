package dev.nabla.train;

import java.util.Locale;

/**
 * Stops training when a metric column (e.g. {@code val_loss}) has not improved by more than
 * {@code minDelta} for {@code patience} epochs, as Keras' {@code EarlyStopping} and Lightning's
 * (mode {@code min} for losses, {@code max} for accuracies; an epoch improves when it beats the
 * best so far by more than {@code minDelta}). Its decision is recomputed from the trainer's metric
 * history every epoch, so a resumed run stops exactly where an uninterrupted one would.
 *
 * <p>Immutable settings; the trainer's thread only.
 */
public final class EarlyStopping implements Callback {

    /** Which direction improves. */
    public enum Mode {
        /** Lower is better (losses). */
        MIN,
        /** Higher is better (accuracies). */
        MAX
    }

    private final String monitor;
    private final Mode mode;
    private final int patience;
    private final double minDelta;

    private EarlyStopping(String monitor, Mode mode, int patience, double minDelta) {
        this.monitor = monitor;
        this.mode = mode;
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /**
     * Watches column {@code monitor}, mode {@code MIN} when its name contains "loss" and
     * {@code MAX} otherwise, patience 5, min delta 0.
     */
    public static EarlyStopping on(String monitor) {
        if (monitor == null || monitor.isEmpty()) {
            throw new IllegalArgumentException("EarlyStopping.on: name the metric column to watch, e.g. \"val_loss\"");
        }
        return new EarlyStopping(monitor, monitor.contains("loss") ? Mode.MIN : Mode.MAX, 5, 0);
    }

    /** A copy that waits {@code epochs} epochs without improvement (at least 1). */
    public EarlyStopping patience(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("EarlyStopping.patience: must be at least 1 epoch, got " + epochs);
        }
        return new EarlyStopping(monitor, mode, epochs, minDelta);
    }

    /** A copy where an improvement must exceed {@code delta} (finite, at least 0). */
    public EarlyStopping minDelta(double delta) {
        if (!(delta >= 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("EarlyStopping.minDelta: must be a finite number >= 0, got " + delta);
        }
        return new EarlyStopping(monitor, mode, patience, delta);
    }

    /** A copy with direction {@code m}. */
    public EarlyStopping mode(Mode m) {
        return new EarlyStopping(monitor, java.util.Objects.requireNonNull(m, "mode"), patience, minDelta);
    }

    /** The watched column. */
    public String monitor() {
        return monitor;
    }

    /**
     * The number of epochs since the last improvement of {@code history} (0 when the last epoch
     * improved); NaN values never improve.
     */
    public int epochsWithoutImprovement(double[] history) {
        double best = Double.NaN;
        int since = 0;
        for (double v : history) {
            boolean better = !Double.isNaN(v) && (Double.isNaN(best)
                    || (mode == Mode.MIN ? v < best - minDelta : v > best + minDelta));
            if (better) {
                best = v;
                since = 0;
            } else {
                since++;
            }
        }
        return since;
    }

    @Override
    public void onTrainStart(TrainContext ctx) {
        if (!ctx.columns().contains(monitor)) {
            throw new IllegalArgumentException("EarlyStopping: no metric column \"" + monitor + "\"; the run's columns are "
                    + ctx.columns());
        }
    }

    @Override
    public void onEpochEnd(TrainContext ctx) {
        int since = epochsWithoutImprovement(ctx.history(monitor));
        if (since >= patience) {
            ctx.stop(String.format(Locale.ROOT, "early stopping: %s has not improved by more than %s for %d epochs (patience %d)",
                    monitor, minDelta, since, patience));
        }
    }
}
