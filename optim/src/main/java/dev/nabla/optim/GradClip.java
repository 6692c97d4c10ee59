package dev.nabla.optim;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Gradient clipping, applied between {@code backward()} and {@link Optimizer#step()}. Clipping
 * replaces each gradient with a new array rather than scaling it in place, because one gradient
 * array may be shared by several parameters (for example both inputs of an addition).
 * Stateless; call it on the training thread, after the backward passes have finished and before
 * {@link Optimizer#step()} (it replaces the parameters' gradients).
 */
public final class GradClip {
    private GradClip() {}

    /**
     * Rescales all gradients together so that their global L2 norm is at most {@code maxNorm}:
     * {@code g ← min(maxNorm/‖g‖, 1)·g}, where ‖g‖ is the norm of all gradients concatenated.
     * Parameters without a gradient are ignored. Throws if the norm is NaN or infinite; see
     * {@link #clipGradNorm(Iterable, double, double, boolean)} to skip that check.
     *
     * @return the global norm before clipping (useful for logging exploding gradients)
     */
    public static double clipGradNorm(Iterable<Parameter> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, true);
    }

    /**
     * Like {@link #clipGradNorm(Iterable, double)} with the p-norm of order {@code normType}
     * ({@code >= 1}, or {@link Double#POSITIVE_INFINITY} for the largest absolute value). With
     * {@code errorIfNonfinite} false, a NaN or infinite norm leaves the gradients untouched and is
     * returned so that the caller can skip the step.
     */
    public static double clipGradNorm(Iterable<Parameter> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm must be finite and >= 0 but is " + maxNorm);
        }
        if (!(normType >= 1)) {
            throw new IllegalArgumentException("clipGradNorm: normType must be >= 1 (or infinity) but is " + normType);
        }
        List<Parameter> withGrad = withGrad(params);
        double total = norm(withGrad, normType);
        if (Double.isNaN(total) || Double.isInfinite(total)) {
            if (errorIfNonfinite) {
                throw new IllegalStateException("clipGradNorm: the total norm of order " + normType + " of the gradients is "
                        + total + (firstNonFinite(withGrad) == null ? "" : "; " + firstNonFinite(withGrad))
                        + ". Check the loss for overflow, or pass errorIfNonfinite=false and skip this step");
            }
            return total;
        }
        if (total > maxNorm) {
            double coef = maxNorm / total;
            for (Parameter p : withGrad) {
                p.setGrad(new Variable(p.grad().data().mul(coef)));
            }
        }
        return total;
    }

    /**
     * Clamps every gradient element into {@code [-clipValue, clipValue]}. Parameters without a
     * gradient are ignored.
     */
    public static void clipGradValue(Iterable<Parameter> params, double clipValue) {
        if (!(clipValue >= 0) || Double.isInfinite(clipValue)) {
            throw new IllegalArgumentException("clipGradValue: clipValue must be finite and >= 0 but is " + clipValue);
        }
        for (Parameter p : withGrad(params)) {
            p.setGrad(new Variable(p.grad().data().clamp(-clipValue, clipValue)));
        }
    }

    /** The global norm of order {@code normType} of all gradients, without changing them. */
    public static double gradNorm(Iterable<Parameter> params, double normType) {
        return norm(withGrad(params), normType);
    }

    private static List<Parameter> withGrad(Iterable<Parameter> params) {
        if (params == null) {
            throw new IllegalArgumentException("gradient clipping: params must not be null");
        }
        // A parameter listed twice must count once in the norm and be scaled once.
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : params) {
            if (p.grad() != null && seen.add(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static double norm(List<Parameter> ps, double normType) {
        if (normType == Double.POSITIVE_INFINITY) {
            double m = 0;
            for (Parameter p : ps) {
                NDArray g = p.grad().data();
                for (int i = 0; i < g.size(); i++) {
                    double a = Math.abs(g.getFlat(i));
                    if (Double.isNaN(a)) {
                        return Double.NaN;
                    }
                    m = Math.max(m, a);
                }
            }
            return m;
        }
        // Scale by the largest magnitude first so that squaring cannot overflow or underflow.
        double scale = norm(ps, Double.POSITIVE_INFINITY);
        if (scale == 0 || Double.isNaN(scale) || Double.isInfinite(scale)) {
            return scale;
        }
        double sum = 0;
        for (Parameter p : ps) {
            NDArray g = p.grad().data();
            for (int i = 0; i < g.size(); i++) {
                double a = Math.abs(g.getFlat(i)) / scale;
                sum += normType == 2 ? a * a : Math.pow(a, normType);
            }
        }
        return scale * (normType == 2 ? Math.sqrt(sum) : Math.pow(sum, 1 / normType));
    }

    private static String firstNonFinite(List<Parameter> ps) {
        for (Parameter p : ps) {
            NDArray g = p.grad().data();
            for (int i = 0; i < g.size(); i++) {
                double v = g.getFlat(i);
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    return "the gradient of " + (p.name() == null ? "a parameter" : "parameter '" + p.name() + "'")
                            + " of shape " + java.util.Arrays.toString(p.shape()) + " holds " + v + " at flat index " + i;
                }
            }
        }
        return null;
    }
}
