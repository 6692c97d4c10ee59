package dev.nabla.autograd;

import com.google.common.collect.ImmutableList;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Public gradient checking: compares the analytical vector-Jacobian product {@code vᵀJ} for a
 * random cotangent {@code v} with float64 central differences, for every input, and checks every
 * gradient's shape. Comparing {@code vᵀJ} (not the gradient of {@code sum(y)}) catches broken
 * softmax or normalisation gradients that a sum hides. Tolerances follow PyTorch's gradcheck.
 * Stateless and thread-safe: grad mode is per thread, so checks may run on several threads at once.
 */
public final class GradCheck {
    private GradCheck() {}

    /**
     * Finite-difference step, absolute and relative tolerance, and the seed of the cotangent.
     * Immutable and thread-safe.
     */
    public static final class Options {
        final double eps;
        final double atol;
        final double rtol;
        final long seed;

        private Options(double eps, double atol, double rtol, long seed) {
            this.eps = eps;
            this.atol = atol;
            this.rtol = rtol;
            this.seed = seed;
        }

        /** PyTorch's defaults: eps 1e-6, atol 1e-5, rtol 1e-3; cotangent seed 0. */
        public static Options defaults() {
            return new Options(1e-6, 1e-5, 1e-3, 0L);
        }

        /** With another finite-difference step. */
        public Options eps(double e) {
            return new Options(e, atol, rtol, seed);
        }

        /** With other tolerances. */
        public Options tolerances(double absolute, double relative) {
            return new Options(eps, absolute, relative, seed);
        }

        /** With another cotangent seed. */
        public Options seed(long s) {
            return new Options(eps, atol, rtol, s);
        }
    }

    /**
     * The outcome of a check: pass or fail, the largest error, and a report of every mismatch.
     * Immutable and thread-safe.
     */
    public static final class Result {
        private final boolean passed;
        private final double maxError;
        private final ImmutableList<String> failures;

        Result(boolean passed, double maxError, List<String> failures) {
            this.passed = passed;
            this.maxError = maxError;
            this.failures = ImmutableList.copyOf(failures);
        }

        /** Whether every input's gradient matched within tolerance and had the right shape. */
        public boolean passed() {
            return passed;
        }

        /** Largest absolute difference between analytical and numerical values. */
        public double maxError() {
            return maxError;
        }

        /** One line per mismatch (input, index, analytical and numerical values), at most 10 per input. */
        public ImmutableList<String> failures() {
            return failures;
        }

        /** Throws an AssertionError carrying the report when the check failed. */
        public Result orThrow() {
            if (!passed) {
                throw new AssertionError("gradient check failed:\n  " + String.join("\n  ", failures));
            }
            return this;
        }

        @Override
        public String toString() {
            return (passed ? "passed" : "FAILED") + " (max error " + maxError + ")"
                    + (failures.isEmpty() ? "" : "\n  " + String.join("\n  ", failures));
        }
    }

    /** Checks {@code f} at {@code inputs} with default options (whatever the caller's grad mode). */
    public static Result check(Function<Variable[], Variable> f, NDArray... inputs) {
        return check(f, Options.defaults(), inputs);
    }

    /**
     * Checks {@code f} at {@code inputs}; the inputs are copied and never modified. Inputs must be
     * float64. Runs whatever the caller's grad mode: grad mode is enabled on this thread for the
     * analytical gradient and restored afterwards, so a check inside {@link Autograd#noGrad()}
     * gives the same result.
     */
    public static Result check(Function<Variable[], Variable> f, Options opt, NDArray... inputs) {
        try (Autograd.Scope s = Autograd.enableGrad()) {
            return checkEnabled(f, opt, inputs);
        }
    }

    private static Result checkEnabled(Function<Variable[], Variable> f, Options opt, NDArray... inputs) {
        requireFloat64("gradcheck", inputs);
        Variable[] xs = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            xs[i] = new Variable(inputs[i].copy(), true);
        }
        Variable y = f.apply(xs);
        NDArray v = NDArray.randn(new Random(opt.seed), y.shape());
        Variable[] analytic = Autograd.grad(new Variable[] {y}, xs, new Variable[] {new Variable(v)}, false);
        List<String> failures = new ArrayList<>();
        double maxErr = 0;
        for (int i = 0; i < inputs.length; i++) {
            if (!Arrays.equals(analytic[i].shape(), inputs[i].shape())) {
                failures.add("input " + i + ": gradient has shape " + Shapes.str(analytic[i].shape())
                        + " but the input has shape " + Shapes.str(inputs[i].shape()));
                continue;
            }
            NDArray numeric = numericalVjp(f, inputs, i, v, opt.eps);
            int reported = 0;
            for (int j = 0; j < numeric.size(); j++) {
                double a = analytic[i].data().getFlat(j);
                double n = numeric.getFlat(j);
                double err = Math.abs(a - n);
                maxErr = Math.max(maxErr, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
                if (!(err <= opt.atol + opt.rtol * Math.abs(n))) {
                    if (reported++ < 10) {
                        failures.add("input " + i + " " + Shapes.str(inputs[i].shape()) + ", flat index " + j
                                + ": analytical " + a + " vs numerical " + n + " (difference " + err + ")");
                    }
                }
            }
        }
        return new Result(failures.isEmpty(), maxErr, failures);
    }

    /**
     * The gradient check of a whole model: the backpropagated gradient of the scalar {@code loss}
     * with respect to every parameter in {@code params} (e.g. {@code model.namedParameters()})
     * against central differences, element by element, with default options. See
     * {@link #checkParameters(Supplier, Map, Options)}.
     */
    public static Result checkParameters(Supplier<Variable> loss, Map<String, Parameter> params) {
        return checkParameters(loss, params, Options.defaults());
    }

    /**
     * The gradient check of a whole model ("gradient checking" of a network in the textbooks):
     * {@code loss} is evaluated once with grad mode on and backpropagated to every parameter of
     * {@code params}; then each element of each parameter is moved by ±eps in place, {@code loss}
     * is evaluated again (without recording) and restored, and the central difference is compared
     * with the backpropagated value within {@code atol + rtol·|numerical|}. Failures name the
     * parameter and the flat index. The loss must be a deterministic float64 scalar of the current
     * parameter values (put the model in eval mode, or fix dropout's generator, first); parameters
     * must be float64; frozen ones (not requiring grad) are skipped. {@code .grad} is left
     * untouched (the gradients come from {@link Autograd#grad}), and every parameter ends with
     * exactly its original bits. Runs whatever the caller's grad mode. Not thread-safe
     * with other users of the same parameters (it perturbs them in place).
     */
    public static Result checkParameters(Supplier<Variable> loss, Map<String, Parameter> params, Options opt) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            if (e.getValue().dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("checkParameters: parameter '" + e.getKey() + "' is "
                        + e.getValue().dtype().numpyName() + "; numerical gradients need float64 — convert the model"
                        + " with model.to(DType.FLOAT64)");
            }
        }
        List<Parameter> ps = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            if (e.getValue().requiresGrad()) {
                names.add(e.getKey());
                ps.add(e.getValue());
            }
        }
        Variable[] analytic;
        try (Autograd.Scope s = Autograd.enableGrad()) {
            Variable y = loss.get();
            if (y.size() != 1) {
                throw new IllegalArgumentException("checkParameters: the loss must be a scalar, got shape "
                        + Shapes.str(y.shape()) + "; reduce it, e.g. with mean()");
            }
            analytic = Autograd.grad(new Variable[] {y}, ps.toArray(new Variable[0]), null, false);
        }
        List<String> failures = new ArrayList<>();
        double maxErr = 0;
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int i = 0; i < ps.size(); i++) {
                NDArray x = ps.get(i).data();
                NDArray a = analytic[i] == null ? NDArray.zeros(x.shape()) : analytic[i].data();
                int reported = 0;
                for (int j = 0; j < x.size(); j++) {
                    double orig = x.getFlat(j);
                    x.setFlat(j, orig + opt.eps);
                    double plus = loss.get().item();
                    x.setFlat(j, orig - opt.eps);
                    double minus = loss.get().item();
                    x.setFlat(j, orig);
                    double n = (plus - minus) / (2 * opt.eps);
                    double err = Math.abs(a.getFlat(j) - n);
                    maxErr = Math.max(maxErr, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
                    if (!(err <= opt.atol + opt.rtol * Math.abs(n)) && reported++ < 10) {
                        failures.add("parameter '" + names.get(i) + "' " + Shapes.str(x.shape()) + ", flat index " + j
                                + ": backprop " + a.getFlat(j) + " vs numerical " + n + " (difference " + err + ")");
                    }
                }
            }
        }
        return new Result(failures.isEmpty(), maxErr, failures);
    }

    /** Rejects float32 inputs: central differences with eps around 1e-6 are noise at float32 precision. */
    static void requireFloat64(String what, NDArray[] inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException(what + ": input " + i + " is " + inputs[i].dtype().numpyName()
                        + "; numerical gradients need float64 — call x.astype(DType.FLOAT64)");
            }
        }
    }

    /** Central-difference {@code vᵀ ∂f/∂x_i}: each element of input i perturbed by ±eps. */
    static NDArray numericalVjp(Function<Variable[], Variable> f, NDArray[] inputs, int which, NDArray v, double eps) {
        NDArray x = inputs[which].copy();
        double[] out = new double[x.size()];
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int j = 0; j < x.size(); j++) {
                double orig = x.getFlat(j);
                x.setFlat(j, orig + eps);
                double plus = dot(v, evaluate(f, inputs, which, x));
                x.setFlat(j, orig - eps);
                double minus = dot(v, evaluate(f, inputs, which, x));
                x.setFlat(j, orig);
                out[j] = (plus - minus) / (2 * eps);
            }
        }
        return NDArray.of(out, x.shape());
    }

    private static NDArray evaluate(Function<Variable[], Variable> f, NDArray[] inputs, int which, NDArray x) {
        Variable[] xs = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            xs[i] = new Variable(i == which ? x.copy() : inputs[i].copy());
        }
        return f.apply(xs).data();
    }

    private static double dot(NDArray a, NDArray b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.getFlat(i) * b.getFlat(i);
        }
        return s;
    }

    /**
     * The classic numerical gradient of a scalar function by central differences
     * ({@code (f(x+h) - f(x-h)) / 2h} per element, h = 1e-4), as the textbooks teach it.
     */
    public static NDArray numericalGradient(Function<NDArray, Double> f, NDArray x) {
        NDArray w = x.copy();
        double h = 1e-4;
        double[] g = new double[w.size()];
        for (int j = 0; j < w.size(); j++) {
            double orig = w.getFlat(j);
            w.setFlat(j, orig + h);
            double plus = f.apply(w);
            w.setFlat(j, orig - h);
            double minus = f.apply(w);
            w.setFlat(j, orig);
            g[j] = (plus - minus) / (2 * h);
        }
        return NDArray.of(g, x.shape());
    }
}
