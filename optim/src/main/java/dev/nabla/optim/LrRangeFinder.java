package dev.nabla.optim;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural Networks",
 * 2017): train for a few steps while the learning rate grows exponentially from {@code minLr} to
 * {@code maxLr}, record the loss at each rate, and stop once the loss diverges (exceeds
 * {@code divergenceFactor} times the best loss so far, or is not finite). A good learning rate lies
 * somewhat below the one where the loss falls fastest, well before divergence.
 *
 * <p>By default the parameters and the optimizer's state and learning rate are restored afterwards,
 * so the test can run before real training.
 * Not thread-safe: configure and run it on one thread (it trains the model it is given).
 */
public final class LrRangeFinder {
    /**
     * One step of the sweep: the learning rate used and the loss measured (smoothed, if asked for)
     * before the step.
     * Immutable and thread-safe.
     */
    public record Point(double lr, double loss) {}

    /**
     * The recorded sweep.
     * Immutable and thread-safe.
     */
    public static final class Result {
        private final List<Point> points;
        private final boolean diverged;

        Result(List<Point> points, boolean diverged) {
            this.points = Collections.unmodifiableList(points);
            this.diverged = diverged;
        }

        /** The (lr, loss) pairs in sweep order; the last one is the diverging step when {@link #diverged()}. */
        public List<Point> points() {
            return points;
        }

        /** True when the sweep stopped early because the loss diverged. */
        public boolean diverged() {
            return diverged;
        }

        /** The learning rate at which the lowest loss was recorded. */
        public double lrAtMinLoss() {
            Point best = points.get(0);
            for (Point p : points) {
                if (p.loss() < best.loss()) {
                    best = p;
                }
            }
            return best.lr();
        }

        /** The learning rate where the loss fell fastest per unit of log-lr (the steepest negative slope). */
        public double lrAtSteepestDescent() {
            return lrAtSteepestDescent(0, 0);
        }

        /**
         * {@link #lrAtSteepestDescent()} over the points from index {@code skipStart} to {@code size − skipEnd}
         * only: the first points of a smoothed mini-batch loss are still nearly raw batch losses, whose noise
         * can outweigh the real descent, and the last ones are the divergence (fastai v1's {@code lr_find}
         * skips 10 and 5). When fewer than 2 points remain, every point is used.
         */
        public double lrAtSteepestDescent(int skipStart, int skipEnd) {
            if (skipStart < 0 || skipEnd < 0) {
                throw new IllegalArgumentException("lrAtSteepestDescent: skipStart and skipEnd must be >= 0 but are "
                        + skipStart + " and " + skipEnd);
            }
            int from = skipStart;
            int to = points.size() - skipEnd;
            if (to - from < 2) {
                from = 0;
                to = points.size();
            }
            double bestSlope = Double.POSITIVE_INFINITY;
            double lr = points.get(from).lr();
            for (int i = from; i + 1 < to; i++) {
                Point a = points.get(i);
                Point b = points.get(i + 1);
                double slope = (b.loss() - a.loss()) / (Math.log(b.lr()) - Math.log(a.lr()));
                if (slope < bestSlope) {
                    bestSlope = slope;
                    lr = a.lr();
                }
            }
            return lr;
        }
    }

    private final double minLr;
    private final double maxLr;
    private final int steps;
    private double divergenceFactor = 4;
    private double smoothing;
    private boolean restore = true;

    /** A sweep of {@code steps} (at least 2) learning rates spaced exponentially from {@code minLr} to {@code maxLr}. */
    public LrRangeFinder(double minLr, double maxLr, int steps) {
        if (!(minLr > 0) || !(maxLr > minLr) || Double.isInfinite(maxLr)) {
            throw new IllegalArgumentException("LrRangeFinder: need 0 < minLr < maxLr < infinity but got minLr " + minLr
                    + ", maxLr " + maxLr);
        }
        if (steps < 2) {
            throw new IllegalArgumentException("LrRangeFinder: steps must be >= 2 but is " + steps);
        }
        this.minLr = minLr;
        this.maxLr = maxLr;
        this.steps = steps;
    }

    /** Stop when the loss exceeds this multiple of the best loss (default 4, as in Smith's and fastai's test). */
    public LrRangeFinder divergenceFactor(double v) {
        if (!(v > 1)) {
            throw new IllegalArgumentException("LrRangeFinder: divergenceFactor must be > 1 but is " + v);
        }
        divergenceFactor = v;
        return this;
    }

    /** Exponential smoothing β of the recorded loss, with bias correction (default 0: raw losses; fastai uses 0.98). */
    public LrRangeFinder smoothing(double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("LrRangeFinder: smoothing must be in [0, 1) but is " + beta);
        }
        smoothing = beta;
        return this;
    }

    /** Whether to restore the parameters, optimizer state and learning rate afterwards (default true). */
    public LrRangeFinder restore(boolean v) {
        restore = v;
        return this;
    }

    /** The learning rate of sweep step {@code i}: {@code minLr·(maxLr/minLr)^(i/(steps−1))}. */
    public double lrAt(int i) {
        return minLr * Math.pow(maxLr / minLr, (double) i / (steps - 1));
    }

    /**
     * Runs the sweep: at each step sets the learning rate, clears gradients, evaluates {@code loss}
     * (a closure computing the scalar loss of the next batch), back-propagates, records the loss and,
     * unless it diverged, calls {@code optimizer.step()}.
     */
    public Result run(Optimizer optimizer, Supplier<Variable> loss) {
        List<NDArray> savedParams = new ArrayList<>();
        Map<String, NDArray> savedState = restore ? optimizer.stateDict() : null;
        if (restore) {
            for (Parameter p : optimizer.params()) {
                savedParams.add(p.data().copy());
            }
        }
        try {
            return sweep(optimizer, loss);
        } finally {
            if (restore) {
                for (int i = 0; i < savedParams.size(); i++) {
                    optimizer.params().get(i).data().copyFrom(savedParams.get(i));
                }
                optimizer.loadStateDict(savedState);
                optimizer.zeroGrad();
            }
        }
    }

    private Result sweep(Optimizer optimizer, Supplier<Variable> loss) {
        List<Point> points = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        double avg = 0;
        for (int i = 0; i < steps; i++) {
            double lr = lrAt(i);
            optimizer.setLr(lr);
            optimizer.zeroGrad();
            Variable l = loss.get();
            if (l.size() != 1) {
                throw new IllegalArgumentException("LrRangeFinder: the loss closure must return a scalar but returned shape "
                        + java.util.Arrays.toString(l.shape()));
            }
            double value = l.item();
            double recorded = value;
            if (smoothing > 0) {
                avg = smoothing * avg + (1 - smoothing) * value;
                recorded = avg / (1 - Math.pow(smoothing, i + 1));
            }
            points.add(new Point(lr, recorded));
            if (!Double.isFinite(recorded) || recorded > divergenceFactor * best) {
                return new Result(points, true);
            }
            best = Math.min(best, recorded);
            l.backward();
            optimizer.step();
        }
        return new Result(points, false);
    }
}
