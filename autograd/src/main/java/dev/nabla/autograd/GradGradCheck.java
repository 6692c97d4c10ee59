package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import java.util.function.Function;

/**
 * Second-order gradient checking: runs {@link GradCheck} on the function
 * {@code (x..., v) -> vᵀJ_f(x)} computed through {@code createGraph}, so the backward pass of
 * every op is itself checked against central differences, with respect to the inputs and the
 * cotangent.
 * Stateless and thread-safe: grad mode is per thread, so checks may run on several threads at once.
 */
public final class GradGradCheck {
    private GradGradCheck() {}

    /** Checks second derivatives of {@code f} at {@code inputs} with default options (whatever the grad mode). */
    public static GradCheck.Result check(Function<Variable[], Variable> f, NDArray... inputs) {
        return check(f, GradCheck.Options.defaults(), inputs);
    }

    /**
     * Checks second derivatives of {@code f} at {@code inputs} (which must be float64). Runs whatever
     * the caller's grad mode: grad mode is enabled on this thread for the duration and restored
     * afterwards, so a check inside {@link Autograd#noGrad()} gives the same result.
     */
    public static GradCheck.Result check(Function<Variable[], Variable> f, GradCheck.Options opt, NDArray... inputs) {
        try (Autograd.Scope s = Autograd.enableGrad()) {
            return checkEnabled(f, opt, inputs);
        }
    }

    private static GradCheck.Result checkEnabled(Function<Variable[], Variable> f, GradCheck.Options opt,
                                                 NDArray... inputs) {
        GradCheck.requireFloat64("gradgradcheck", inputs);
        int n = inputs.length;
        NDArray y;
        try (Autograd.Scope s = Autograd.noGrad()) {
            Variable[] xs = new Variable[n];
            for (int i = 0; i < n; i++) {
                xs[i] = new Variable(inputs[i]);
            }
            y = f.apply(xs).data();
        }
        NDArray v = NDArray.randn(new Random(opt.seed ^ 0x9E3779B97F4A7C15L), y.shape());
        NDArray[] all = new NDArray[n + 1];
        System.arraycopy(inputs, 0, all, 0, n);
        all[n] = v;
        Function<Variable[], Variable> backwardFn = zs -> {
            Variable[] xs = new Variable[n];
            for (int i = 0; i < n; i++) {
                xs[i] = zs[i].requiresGrad() ? zs[i] : new Variable(zs[i].data(), true);
            }
            Variable[] gs;
            try (Autograd.Scope s = Autograd.enableGrad()) {
                Variable out = f.apply(xs);
                gs = Autograd.grad(new Variable[] {out}, xs, new Variable[] {zs[n]}, true);
            }
            Variable[] flat = new Variable[n];
            for (int i = 0; i < n; i++) {
                flat[i] = gs[i].reshape(-1);
            }
            return n == 1 ? flat[0] : F.concat(0, flat);
        };
        return GradCheck.check(backwardFn, opt, all);
    }
}
