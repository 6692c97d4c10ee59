package dev.nabla.autograd;

import java.util.Random;

/**
 * Runs the gradient checks of one registry entry on one drawn case: {@link GradCheck} (first
 * order) and, for twice-differentiable ops, {@link GradGradCheck} (second order); and, with
 * {@link #forwardMode}, the forward-mode checks of {@link ForwardCheck} (jvp against reverse mode and
 * central differences; forward over reverse against reverse over reverse). The property tests and
 * the {@code nabla gradcheck} command both call it, so they check the same thing.
 * Stateless and thread-safe (grad mode is per thread).
 */
public final class OpCheck {
    private OpCheck() {}

    /**
     * The outcome for one op and seed: the drawn case and each order's result.
     * Immutable and thread-safe.
     */
    public static final class Report {
        private final OpInfo op;
        private final long seed;
        private final OpCase opCase;
        private final GradCheck.Result first;
        private final GradCheck.Result second;
        private final String error;
        private final boolean forward;

        Report(OpInfo op, long seed, OpCase opCase, GradCheck.Result first, GradCheck.Result second, String error) {
            this(op, seed, opCase, first, second, error, false);
        }

        Report(OpInfo op, long seed, OpCase opCase, GradCheck.Result first, GradCheck.Result second, String error,
               boolean forward) {
            this.forward = forward;
            this.op = op;
            this.seed = seed;
            this.opCase = opCase;
            this.first = first;
            this.second = second;
            this.error = error;
        }

        /** The op checked. */
        public OpInfo op() {
            return op;
        }

        /** The seed the case (and the cotangents) were drawn from. */
        public long seed() {
            return seed;
        }

        /** The drawn case, or null when drawing it failed. */
        public OpCase opCase() {
            return opCase;
        }

        /** The first-order result, or null when not run (or an exception stopped it). */
        public GradCheck.Result first() {
            return first;
        }

        /** The second-order result, or null when not run (or an exception stopped it). */
        public GradCheck.Result second() {
            return second;
        }

        /**
         * Whether this reports the forward-mode checks ({@link OpCheck#forwardMode}): then first is
         * the jvp check and second the forward-over-reverse one.
         */
        public boolean forwardMode() {
            return forward;
        }

        /** The exception message when sampling or a check threw, else null. */
        public String error() {
            return error;
        }

        /** True when no exception occurred and every check that ran passed. */
        public boolean passed() {
            return error == null && (first == null || first.passed()) && (second == null || second.passed());
        }

        /** The largest error over the checks that ran (infinite after an exception). */
        public double maxError() {
            if (error != null) {
                return Double.POSITIVE_INFINITY;
            }
            double m = 0;
            if (first != null) {
                m = Math.max(m, first.maxError());
            }
            if (second != null) {
                m = Math.max(m, second.maxError());
            }
            return m;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(op.name()).append(" seed=").append(seed);
            if (opCase != null) {
                sb.append(" inputs ").append(opCase);
            }
            if (forward) {
                sb.append(" (forward mode)");
            }
            sb.append(passed() ? ": passed" : ": FAILED");
            if (error != null) {
                sb.append("\n  exception: ").append(error);
            }
            if (first != null) {
                sb.append(forward ? "\n  jvp (vs reverse vᵀJ and central differences): " : "\n  first order: ")
                        .append(first);
            }
            if (second != null) {
                sb.append(forward ? "\n  forward over reverse (vs reverse over reverse, reverse over forward and "
                        + "central differences): " : "\n  second order: ").append(second);
            }
            return sb.toString();
        }
    }

    /** First- and (when the op is twice differentiable) second-order checks of the case drawn from {@code seed}. */
    public static Report run(OpInfo op, long seed) {
        return run(op, seed, true, op.twiceDifferentiable());
    }

    /** First-order check only. */
    public static Report firstOrder(OpInfo op, long seed) {
        return run(op, seed, true, false);
    }

    /** Second-order check only (an op that is not twice differentiable gets an error report). */
    public static Report secondOrder(OpInfo op, long seed) {
        if (!op.twiceDifferentiable()) {
            return new Report(op, seed, null, null, null, op.name() + " is not marked twice differentiable");
        }
        return run(op, seed, false, true);
    }

    /**
     * The forward-mode checks of the case drawn from {@code seed} ({@link ForwardCheck}): the jvp
     * against reverse mode and central differences, and (when the op is twice differentiable)
     * forward over reverse against reverse over reverse, reverse over forward and central
     * differences. An op without a tangent rule gets an error report naming it.
     */
    public static Report forwardMode(OpInfo op, long seed) {
        return forwardMode(op, seed, true, op.twiceDifferentiable());
    }

    /** The forward-mode checks, choosing which orders run. */
    public static Report forwardMode(OpInfo op, long seed, boolean firstOrder, boolean secondOrder) {
        OpCase c = null;
        GradCheck.Result first = null;
        GradCheck.Result second = null;
        try {
            c = op.sample(new Random(seed));
            GradCheck.Options opt = GradCheck.Options.defaults().seed(seed);
            if (firstOrder) {
                first = ForwardCheck.check(c.fn(), opt, c.inputs());
            }
            if (secondOrder && op.twiceDifferentiable()) {
                second = ForwardCheck.secondOrder(c.fn(), opt, c.inputs());
            }
            return new Report(op, seed, c, first, second, null, true);
        } catch (RuntimeException e) {
            return new Report(op, seed, c, first, second, e.toString(), true);
        }
    }

    private static Report run(OpInfo op, long seed, boolean doFirst, boolean doSecond) {
        OpCase c = null;
        GradCheck.Result first = null;
        GradCheck.Result second = null;
        try {
            c = op.sample(new Random(seed));
            GradCheck.Options opt = GradCheck.Options.defaults().seed(seed);
            if (doFirst) {
                first = GradCheck.check(c.fn(), opt, c.inputs());
            }
            if (doSecond) {
                second = GradGradCheck.check(c.fn(), opt, c.inputs());
            }
            return new Report(op, seed, c, first, second, null);
        } catch (RuntimeException e) {
            return new Report(op, seed, c, first, second, e.toString());
        }
    }

    /**
     * The outcome of several deterministic tries of one op: counts, largest error and the first
     * failure.
     * Immutable and thread-safe.
     */
    public static final class Summary {
        private final OpInfo op;
        private final int tries;
        private final int failures;
        private final double maxError;
        private final Report firstFailure;
        private final Report example;

        Summary(OpInfo op, int tries, int failures, double maxError, Report firstFailure, Report example) {
            this.op = op;
            this.tries = tries;
            this.failures = failures;
            this.maxError = maxError;
            this.firstFailure = firstFailure;
            this.example = example;
        }

        /** The op checked. */
        public OpInfo op() {
            return op;
        }

        /** Number of tries run. */
        public int tries() {
            return tries;
        }

        /** Number of tries that failed. */
        public int failures() {
            return failures;
        }

        /** True when every try passed. */
        public boolean passed() {
            return failures == 0;
        }

        /** The largest error over all tries and orders. */
        public double maxError() {
            return maxError;
        }

        /** The first failing try's report, or null. */
        public Report firstFailure() {
            return firstFailure;
        }

        /** The report of try 0 (its inputs make a representative example for a table). */
        public Report example() {
            return example;
        }
    }

    /**
     * Runs tries {@code 0..tries-1} of {@code op} (seeds from {@link #seed(String, int)}), both
     * orders: the same cases the property tests run, for a command-line table.
     */
    public static Summary runTries(OpInfo op, int tries) {
        return runTries(op, tries, false);
    }

    /**
     * As {@link #runTries(OpInfo, int)}, running the forward-mode checks ({@link #forwardMode}) when
     * {@code forwardMode} is set: the same cases the forward-mode property tests run.
     */
    public static Summary runTries(OpInfo op, int tries, boolean forwardMode) {
        int failures = 0;
        double maxError = 0;
        Report firstFailure = null;
        Report example = null;
        for (int k = 0; k < tries; k++) {
            Report r = forwardMode ? forwardMode(op, seed(op.name(), k)) : run(op, seed(op.name(), k));
            if (k == 0) {
                example = r;
            }
            maxError = Math.max(maxError, r.maxError());
            if (!r.passed()) {
                failures++;
                if (firstFailure == null) {
                    firstFailure = r;
                }
            }
        }
        return new Summary(op, tries, failures, maxError, firstFailure, example);
    }

    /**
     * The seed of try {@code k} of {@code opName}: a SplitMix64 mix of the name's (specified,
     * platform-independent) {@link String#hashCode} and k, so every run checks the same cases.
     */
    public static long seed(String opName, int k) {
        long z = opName.hashCode() * 0x9E3779B97F4A7C15L + k;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
