package dev.nabla.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reduces the learning rate when a monitored metric stops improving, with PyTorch's semantics:
 * after each epoch call {@link #step(double)} with the metric; when it has not improved on the best
 * value (by more than {@code threshold}, relative or absolute) for more than {@code patience}
 * epochs, the rate becomes {@code max(lr·factor, minLr)} (unless that changes it by less than
 * {@code eps}), and a {@code cooldown} of epochs follows in which bad epochs are not counted.
 * Not thread-safe: a scheduler keeps its epoch count; step it on the training thread, as its
 * optimizer.
 */
public final class ReduceLROnPlateau {
    /**
     * Whether lower ({@code MIN}, for a loss) or higher ({@code MAX}, for an accuracy) is better.
     * Immutable and thread-safe (an enum).
     */
    public enum Mode { MIN, MAX }

    /**
     * Whether {@code threshold} is a fraction of the best value ({@code REL}) or an amount ({@code
     * ABS}).
     * Immutable and thread-safe (an enum).
     */
    public enum ThresholdMode { REL, ABS }

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double minLr;
    private final double eps;

    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int epoch;

    private ReduceLROnPlateau(Builder b) {
        this.optimizer = b.optimizer;
        if (optimizer == null) {
            throw new IllegalArgumentException("ReduceLROnPlateau: optimizer must not be null");
        }
        if (!(b.factor < 1 && b.factor >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in [0, 1) but is " + b.factor);
        }
        if (b.patience < 0 || b.cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be >= 0 but are "
                    + b.patience + " and " + b.cooldown);
        }
        if (!(b.threshold >= 0) || !(b.minLr >= 0) || !(b.eps >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: threshold, minLr and eps must be >= 0 but are "
                    + b.threshold + ", " + b.minLr + ", " + b.eps);
        }
        this.mode = b.mode;
        this.factor = b.factor;
        this.patience = b.patience;
        this.threshold = b.threshold;
        this.thresholdMode = b.thresholdMode;
        this.cooldown = b.cooldown;
        this.minLr = b.minLr;
        this.eps = b.eps;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Starts configuring; defaults as PyTorch: MIN, factor 0.1, patience 10, threshold 1e-4 REL, cooldown 0, minLr 0, eps 1e-8. */
    public static Builder builder(Optimizer optimizer) {
        return new Builder(optimizer);
    }

    /** Records one epoch's metric and reduces the learning rate if it has plateaued. */
    public void step(double metric) {
        epoch++;
        if (isBetter(metric)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            for (int g = 0; g < optimizer.groupCount(); g++) { // each group reduced on its own, as PyTorch
                double old = optimizer.lr(g);
                double next = Math.max(old * factor, minLr);
                if (old - next > eps) {
                    optimizer.setLr(g, next);
                }
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
    }

    private boolean isBetter(double a) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? a < best * (1 - threshold) : a < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? a > best * (1 + threshold) : a > best + threshold;
    }

    /** The best metric seen so far (±infinity before the first step). */
    public double best() {
        return best;
    }

    /** Consecutive epochs without improvement, as counted towards {@code patience}. */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /** Number of {@link #step(double)} calls. */
    public int epoch() {
        return epoch;
    }

    /**
     * The scheduler's mutable state as exact strings ({@code best}, {@code num_bad_epochs},
     * {@code cooldown_counter}, {@code epoch}), for example to store as checkpoint metadata with
     * {@link OptimizerCheckpoint#save(java.nio.file.Path, Optimizer, Map)}.
     */
    public Map<String, String> stateDict() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("best", Double.toString(best));
        m.put("num_bad_epochs", Integer.toString(numBadEpochs));
        m.put("cooldown_counter", Integer.toString(cooldownCounter));
        m.put("epoch", Integer.toString(epoch));
        return m;
    }

    /** Restores the state written by {@link #stateDict()}; the configuration must be rebuilt the same way. */
    public void loadStateDict(Map<String, String> state) {
        try {
            double b = Double.parseDouble(require(state, "best"));
            int bad = Integer.parseInt(require(state, "num_bad_epochs"));
            int cool = Integer.parseInt(require(state, "cooldown_counter"));
            int e = Integer.parseInt(require(state, "epoch"));
            best = b;
            numBadEpochs = bad;
            cooldownCounter = cool;
            epoch = e;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: malformed number in " + state, ex);
        }
    }

    private static String require(Map<String, String> state, String key) {
        String v = state.get(key);
        if (v == null) {
            throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: missing key '" + key + "' in " + state
                    + " (expected best, num_bad_epochs, cooldown_counter, epoch)");
        }
        return v;
    }

    /**
     * Fluent configuration of {@link ReduceLROnPlateau}.
     * Not thread-safe: confine a builder to one thread.
     */
    public static final class Builder {
        private final Optimizer optimizer;
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private int cooldown;
        private double minLr;
        private double eps = 1e-8;

        private Builder(Optimizer optimizer) {
            this.optimizer = optimizer;
        }

        /** MIN (default) when the metric is a loss, MAX when it is a score. */
        public Builder mode(Mode v) {
            mode = v;
            return this;
        }

        /** Multiplier applied to the rate on a plateau (default 0.1). */
        public Builder factor(double v) {
            factor = v;
            return this;
        }

        /** Epochs without improvement tolerated before reducing (default 10). */
        public Builder patience(int v) {
            patience = v;
            return this;
        }

        /** Minimum improvement that counts (default 1e-4). */
        public Builder threshold(double v) {
            threshold = v;
            return this;
        }

        /** Whether the threshold is relative to the best value (default) or absolute. */
        public Builder thresholdMode(ThresholdMode v) {
            thresholdMode = v;
            return this;
        }

        /** Epochs after a reduction during which bad epochs are not counted (default 0). */
        public Builder cooldown(int v) {
            cooldown = v;
            return this;
        }

        /** Lower bound on the learning rate (default 0). */
        public Builder minLr(double v) {
            minLr = v;
            return this;
        }

        /** Reductions smaller than this are skipped (default 1e-8). */
        public Builder eps(double v) {
            eps = v;
            return this;
        }

        /** The configured scheduler. */
        public ReduceLROnPlateau build() {
            return new ReduceLROnPlateau(this);
        }
    }
}
