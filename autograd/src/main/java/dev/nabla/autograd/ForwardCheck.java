package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Checks of forward-mode AD, in float64, for random directions drawn from the seed of the options:
 * <ul>
 *   <li>{@link #check first order}: the forward-mode jvp {@code J v} (a forward pass on dual values,
 *   grad mode off) has the output's shape, satisfies the adjoint identity {@code ⟨u, J v⟩ = ⟨Jᵀu, v⟩}
 *   against the reverse-mode vᵀJ for a random cotangent u, and matches central differences
 *   {@code (f(x + εv) − f(x − εv)) / 2ε} element by element;</li>
 *   <li>{@link #secondOrder second order}: for {@code φ(x) = ⟨u, f(x)⟩}, the forward-over-reverse
 *   Hessian-vector product {@code H_φ v} (a backward pass on dual values) matches the
 *   reverse-over-reverse one (differentiating {@code ⟨∇φ, v⟩}), the reverse-over-forward one (the
 *   gradient of {@code ⟨u, J v⟩} through the recorded tangent rules) and central differences of
 *   the gradient {@code (∇φ(x + εv) − ∇φ(x − εv)) / 2ε}.</li>
 * </ul>
 * Stateless and thread-safe: grad mode and forward-AD levels are per thread.
 */
public final class ForwardCheck {
    private ForwardCheck() {}

    /** Relative tolerance of the identities that hold up to rounding (adjoint, fwd-over-rev vs rev-over-rev). */
    static final double EXACT_RTOL = 1e-7;

    /** Checks first-order forward mode of {@code f} at {@code inputs} (float64), whatever the grad mode. */
    public static GradCheck.Result check(Function<Variable[], Variable> f, GradCheck.Options opt, NDArray... inputs) {
        GradCheck.requireFloat64("forward-mode check", inputs);
        List<String> failures = new ArrayList<>();
        double[] maxErr = {0};
        NDArray[] v = directions(opt.seed, inputs);
        NDArray y;
        NDArray jv;
        try (Autograd.Scope s = Autograd.noGrad(); ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            Variable[] in = new Variable[inputs.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = ForwardAD.makeDual(new Variable(inputs[i].copy()), new Variable(v[i]), level);
            }
            Variable out = f.apply(in);
            y = out.data();
            Variable t = out.tangentAt(level);
            jv = t == null ? NDArray.zerosLike(y) : t.data();
        }
        if (!jv.hasShape(y.shape())) {
            failures.add("the tangent has shape " + Shapes.str(jv.shape()) + " but the output has shape "
                    + Shapes.str(y.shape()));
            return new GradCheck.Result(false, Double.POSITIVE_INFINITY, failures);
        }
        NDArray u = NDArray.randn(new Random(opt.seed ^ 0x5DEECE66DL), y.shape());
        // adjoint identity against reverse mode
        Variable[] g = vjp(f, inputs, u);
        double lhs = dot(u, jv);
        double rhs = 0;
        double scale = Math.abs(lhs);
        for (int i = 0; i < inputs.length; i++) {
            double d = dot(g[i].data(), v[i]);
            rhs += d;
            scale += Math.abs(d);
        }
        compare("⟨u, Jv⟩ (forward) vs ⟨Jᵀu, v⟩ (reverse)", lhs, rhs, opt.atol + EXACT_RTOL * Math.max(1, scale),
                failures, maxErr);
        // central differences along v
        NDArray plus = shifted(f, inputs, v, opt.eps);
        NDArray minus = shifted(f, inputs, v, -opt.eps);
        NDArray numeric = plus.sub(minus).div(2 * opt.eps);
        compareArrays("Jv (forward) vs central differences", jv, numeric, opt.atol, opt.rtol, failures, maxErr);
        return new GradCheck.Result(failures.isEmpty(), maxErr[0], failures);
    }

    /** Checks second-order forward mode (forward over reverse, reverse over forward) of {@code f} at {@code inputs}. */
    public static GradCheck.Result secondOrder(Function<Variable[], Variable> f, GradCheck.Options opt,
                                               NDArray... inputs) {
        GradCheck.requireFloat64("forward-over-reverse check", inputs);
        int n = inputs.length;
        NDArray[] v = directions(opt.seed, inputs);
        NDArray y;
        try (Autograd.Scope s = Autograd.noGrad()) {
            y = f.apply(Autograd.constants(copies(inputs))).data();
        }
        NDArray u = NDArray.randn(new Random(opt.seed ^ 0x5DEECE66DL), y.shape());
        Variable cu = new Variable(u);
        Autograd.Fn phi = z -> f.apply(z).mul(cu).sum();
        NDArray[] fwdRev = Transforms.hvpForwardOverReverse("forward-over-reverse check", phi, copies(inputs), v);
        NDArray[] revRev = reverseOverReverse(phi, inputs, v);
        NDArray[] revFwd = reverseOverForward(f, u, inputs, v);
        List<String> failures = new ArrayList<>();
        double[] maxErr = {0};
        for (int i = 0; i < n; i++) {
            String in = "input " + i + " " + Shapes.str(inputs[i].shape()) + ": ";
            compareArrays(in + "Hv forward-over-reverse vs reverse-over-reverse", fwdRev[i], revRev[i], opt.atol,
                    EXACT_RTOL, failures, maxErr);
            compareArrays(in + "Hv forward-over-reverse vs reverse-over-forward", fwdRev[i], revFwd[i], opt.atol,
                    EXACT_RTOL, failures, maxErr);
        }
        NDArray[] gp = gradAt(phi, inputs, v, opt.eps);
        NDArray[] gm = gradAt(phi, inputs, v, -opt.eps);
        for (int i = 0; i < n; i++) {
            NDArray numeric = gp[i].sub(gm[i]).div(2 * opt.eps);
            compareArrays("input " + i + " " + Shapes.str(inputs[i].shape())
                    + ": Hv forward-over-reverse vs central differences of the gradient", fwdRev[i], numeric, opt.atol,
                    opt.rtol, failures, maxErr);
        }
        return new GradCheck.Result(failures.isEmpty(), maxErr[0], failures);
    }

    private static NDArray[] directions(long seed, NDArray[] inputs) {
        Random r = new Random(seed ^ 0x2545F4914F6CDD1DL);
        NDArray[] v = new NDArray[inputs.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = NDArray.randn(r, inputs[i].shape());
        }
        return v;
    }

    private static NDArray[] copies(NDArray[] xs) {
        NDArray[] c = new NDArray[xs.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = xs[i].copy();
        }
        return c;
    }

    private static Variable[] leaves(NDArray[] xs) {
        Variable[] in = new Variable[xs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = new Variable(xs[i].copy(), true);
        }
        return in;
    }

    private static Variable[] vjp(Function<Variable[], Variable> f, NDArray[] inputs, NDArray u) {
        try (Autograd.Scope s = Autograd.enableGrad()) {
            Variable[] in = leaves(inputs);
            Variable y = f.apply(in);
            if (!y.requiresGrad()) {
                return Autograd.constants(zeros(inputs));
            }
            return Autograd.grad(new Variable[] {y}, in, new Variable[] {new Variable(u)}, false);
        }
    }

    private static NDArray[] zeros(NDArray[] xs) {
        NDArray[] z = new NDArray[xs.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = NDArray.zerosLike(xs[i]);
        }
        return z;
    }

    private static NDArray shifted(Function<Variable[], Variable> f, NDArray[] inputs, NDArray[] v, double eps) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            Variable[] in = new Variable[inputs.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = new Variable(inputs[i].add(v[i].mul(eps)));
            }
            return f.apply(in).data();
        }
    }

    /** ∇φ at {@code x + eps v}. */
    private static NDArray[] gradAt(Autograd.Fn phi, NDArray[] inputs, NDArray[] v, double eps) {
        NDArray[] x = new NDArray[inputs.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = inputs[i].add(v[i].mul(eps));
        }
        try (Autograd.Scope s = Autograd.enableGrad()) {
            Variable[] in = leaves(x);
            Variable y = phi.apply(in);
            return y.requiresGrad() ? Autograd.values(Autograd.grad(y, in)) : zeros(x);
        }
    }

    /** The gradient of {@code ⟨∇φ, v⟩}: the Hessian-vector product by two backward passes. */
    private static NDArray[] reverseOverReverse(Autograd.Fn phi, NDArray[] inputs, NDArray[] v) {
        try (Autograd.Scope s = Autograd.enableGrad()) {
            Variable[] in = leaves(inputs);
            Variable y = phi.apply(in);
            if (!y.requiresGrad()) {
                return zeros(inputs);
            }
            Variable[] g = Autograd.grad(new Variable[] {y}, in, null, true);
            Variable dot = null;
            for (int i = 0; i < g.length; i++) {
                Variable term = g[i].mul(new Variable(v[i])).sum();
                dot = dot == null ? term : dot.add(term);
            }
            if (dot == null || !dot.requiresGrad()) {
                return zeros(inputs);
            }
            return Autograd.values(Autograd.grad(new Variable[] {dot}, in, null, false));
        }
    }

    /** The gradient of {@code ⟨u, J v⟩}, differentiating the recorded tangent rules by reverse mode. */
    private static NDArray[] reverseOverForward(Function<Variable[], Variable> f, NDArray u, NDArray[] inputs,
                                                NDArray[] v) {
        try (Autograd.Scope s = Autograd.enableGrad(); ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            Variable[] in = leaves(inputs);
            Variable[] duals = new Variable[in.length];
            for (int i = 0; i < in.length; i++) {
                duals[i] = ForwardAD.makeDual(in[i], new Variable(v[i]), level);
            }
            Variable t = f.apply(duals).tangentAt(level);
            if (t == null) {
                return zeros(inputs);
            }
            Variable s2 = t.mul(new Variable(u)).sum();
            if (!s2.requiresGrad()) {
                return zeros(inputs);
            }
            return Autograd.values(Autograd.grad(new Variable[] {s2}, in, null, false));
        }
    }

    private static double dot(NDArray a, NDArray b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.getFlat(i) * b.getFlat(i);
        }
        return s;
    }

    private static void compare(String what, double a, double b, double tol, List<String> failures, double[] maxErr) {
        double err = Math.abs(a - b);
        maxErr[0] = Math.max(maxErr[0], Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
        if (!(err <= tol)) {
            failures.add(what + ": " + a + " vs " + b + " (difference " + err + ", tolerance " + tol + ")");
        }
    }

    private static void compareArrays(String what, NDArray got, NDArray want, double atol, double rtol,
                                      List<String> failures, double[] maxErr) {
        if (!Arrays.equals(got.shape(), want.shape())) {
            failures.add(what + ": shape " + Shapes.str(got.shape()) + " vs " + Shapes.str(want.shape()));
            maxErr[0] = Double.POSITIVE_INFINITY;
            return;
        }
        int reported = 0;
        for (int j = 0; j < got.size(); j++) {
            double a = got.getFlat(j);
            double b = want.getFlat(j);
            double err = Math.abs(a - b);
            maxErr[0] = Math.max(maxErr[0], Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
            if (!(err <= atol + rtol * Math.abs(b)) && reported++ < 10) {
                failures.add(what + ", flat index " + j + ": " + a + " vs " + b + " (difference " + err + ")");
            }
        }
    }
}
