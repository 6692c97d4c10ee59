package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Grad mode (thread-local), anomaly mode, and the functional API on top of the backward engine:
 * {@link #grad}, {@link #vjp}, {@link #jvp}, {@link #jacobian}, {@link #hessian}, {@link #hvp}.
 * Thread-safe: grad mode is thread-local (a {@code noGrad()} scope on one thread does not affect
 * another), anomaly mode is one volatile flag for all threads, and the functional API may run on
 * several threads at once.
 */
public final class Autograd {
    private Autograd() {}

    private static final ThreadLocal<boolean[]> GRAD = ThreadLocal.withInitial(() -> new boolean[] {true});
    private static volatile boolean anomaly;

    /**
     * A scope that restores the previous grad mode when closed.
     * Not thread-safe: close it on the thread that opened it; it restores that thread's grad mode.
     */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;

        private Scope(boolean enabled) {
            boolean[] flag = GRAD.get();
            previous = flag[0];
            flag[0] = enabled;
        }

        @Override
        public void close() {
            GRAD.get()[0] = previous;
        }
    }

    /** Disables recording on this thread until the returned scope is closed. */
    public static Scope noGrad() {
        return new Scope(false);
    }

    /** Enables recording on this thread until the returned scope is closed. */
    public static Scope enableGrad() {
        return new Scope(true);
    }

    /** Sets grad mode on this thread until the returned scope is closed. */
    public static Scope setGradEnabled(boolean enabled) {
        return new Scope(enabled);
    }

    /** Whether operations on this thread record nodes. */
    public static boolean isGradEnabled() {
        return GRAD.get()[0];
    }

    /**
     * Turns anomaly detection on or off (for every thread). While on, each recorded node keeps the
     * stack trace of its forward call, and backward fails as soon as a node's backward produces
     * NaN, naming that op and giving the forward trace as the exception's cause. Costs time: for
     * debugging only.
     */
    public static void setDetectAnomaly(boolean on) {
        anomaly = on;
    }

    /** Whether anomaly detection is on. */
    public static boolean isDetectAnomaly() {
        return anomaly;
    }

    /**
     * Gradients of {@code outputs} (weighted by {@code gradOutputs}; null entries mean ones for
     * scalars) with respect to {@code inputs}, leaving every {@code .grad} untouched. An input the
     * outputs do not depend on gets a zero gradient. With {@code createGraph} the result is
     * differentiable again; the graph is then retained. The caller's grad mode does not matter: the
     * graph of {@code outputs} already exists, and the backward pass records itself exactly when
     * {@code createGraph} is set (also inside {@link #noGrad()}). Safe to call from several threads
     * over graphs that share variables (shared intermediate nodes need {@code retainGraph}).
     */
    public static Variable[] grad(Variable[] outputs, Variable[] inputs, Variable[] gradOutputs, boolean createGraph) {
        return grad(outputs, inputs, gradOutputs, createGraph, createGraph);
    }

    /** As {@link #grad(Variable[], Variable[], Variable[], boolean)} with an explicit {@code retainGraph}. */
    public static Variable[] grad(Variable[] outputs, Variable[] inputs, Variable[] gradOutputs, boolean createGraph,
                                  boolean retainGraph) {
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].requiresGrad()) {
                throw new IllegalArgumentException("grad: input " + i + " does not require grad; "
                        + "create it with requiresGrad(true) to differentiate with respect to it");
            }
        }
        Variable[] seeds = gradOutputs == null ? new Variable[outputs.length] : gradOutputs;
        Variable[] out = Engine.run(outputs, seeds, retainGraph, createGraph, inputs);
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                out[i] = new Variable(NDArray.zerosLike(inputs[i].data()));
            }
        }
        return out;
    }

    /** Gradient of one scalar output with respect to {@code inputs}. */
    public static Variable[] grad(Variable output, Variable... inputs) {
        return grad(new Variable[] {output}, inputs, null, false);
    }

    /**
     * A function of several variables returning one variable.
     * Called on the thread that calls the transform.
     */
    @FunctionalInterface
    public interface Fn {
        /** Evaluates the function on {@code xs}. */
        Variable apply(Variable... xs);
    }

    private static Variable[] leaves(NDArray[] xs) {
        Variable[] v = new Variable[xs.length];
        for (int i = 0; i < xs.length; i++) {
            v[i] = new Variable(xs[i].copy(), true);
        }
        return v;
    }

    /**
     * Vector-Jacobian product {@code vᵀ J_f(x)} for each input. Computed whatever the caller's grad
     * mode: grad mode is enabled on this thread while {@code f} runs and restored afterwards (as
     * PyTorch's {@code torch.autograd.functional.vjp}), so it works inside {@link #noGrad()}.
     */
    public static NDArray[] vjp(Fn f, NDArray[] xs, NDArray v) {
        try (Scope s = enableGrad()) {
            Variable[] in = leaves(xs);
            Variable y = f.apply(in);
            Variable[] g = grad(new Variable[] {y}, in, new Variable[] {new Variable(v)}, false);
            return values(g);
        }
    }

    /**
     * Jacobian-vector product {@code J_f(x) u}, computed by the double-vjp trick: differentiate
     * {@code g(w) = wᵀJ} (linear in w) once more with respect to w. Computed whatever the caller's
     * grad mode (enabled internally and restored), so it works inside {@link #noGrad()}.
     */
    public static NDArray jvp(Fn f, NDArray[] xs, NDArray[] u) {
        try (Scope s = enableGrad()) {
            return jvpEnabled(f, xs, u);
        }
    }

    private static NDArray jvpEnabled(Fn f, NDArray[] xs, NDArray[] u) {
        if (u.length != xs.length) {
            throw new IllegalArgumentException("jvp: expected one tangent per input (" + xs.length + ") but got "
                    + u.length);
        }
        for (int i = 0; i < xs.length; i++) {
            if (!xs[i].hasShape(u[i].shape())) {
                throw new IllegalArgumentException("jvp: tangent " + i + " has shape " + Shapes.str(u[i].shape())
                        + " but input " + i + " has shape " + Shapes.str(xs[i].shape()) + "; they must match");
            }
        }
        Variable[] in = leaves(xs);
        Variable y = f.apply(in);
        if (!y.requiresGrad()) {
            return NDArray.zerosLike(y.data()); // the output does not depend on the inputs
        }
        Variable w = new Variable(NDArray.zerosLike(y.data()), true);
        Variable[] g = grad(new Variable[] {y}, in, new Variable[] {w}, true);
        Variable dot = null;
        for (int i = 0; i < g.length; i++) {
            Variable term = g[i].mul(new Variable(u[i])).sum();
            dot = dot == null ? term : dot.add(term);
        }
        if (dot == null || !dot.requiresGrad()) {
            return NDArray.zerosLike(y.data());
        }
        return grad(new Variable[] {dot}, new Variable[] {w}, null, false)[0].data();
    }

    /**
     * The Jacobian of {@code f} at {@code x}, shaped {@code y.shape ++ x.shape}. Computed whatever
     * the caller's grad mode (enabled internally and restored), so it works inside {@link #noGrad()}.
     */
    public static NDArray jacobian(Fn f, NDArray x) {
        try (Scope s = enableGrad()) {
            return jacobianEnabled(f, x);
        }
    }

    private static NDArray jacobianEnabled(Fn f, NDArray x) {
        Variable in = new Variable(x.copy(), true);
        Variable y = f.apply(in);
        int m = y.data().size();
        int n = x.size();
        int[] ys = y.shape();
        int[] xsh = x.shape();
        int[] shape = Arrays.copyOf(ys, ys.length + xsh.length);
        System.arraycopy(xsh, 0, shape, ys.length, xsh.length);
        double[] jac = new double[Shapes.size("jacobian", shape)];
        for (int i = 0; i < m && y.requiresGrad(); i++) { // an output independent of x has a zero Jacobian
            NDArray e = NDArray.zerosLike(y.data());
            e.setFlat(i, 1.0);
            Variable g = grad(new Variable[] {y}, new Variable[] {in}, new Variable[] {new Variable(e)}, false, true)[0];
            for (int j = 0; j < n; j++) {
                jac[i * n + j] = g.data().getFlat(j);
            }
        }
        return NDArray.of(jac, shape);
    }

    /**
     * The Hessian of a scalar {@code f} at {@code x}, shaped {@code x.shape ++ x.shape}. Computed
     * whatever the caller's grad mode (enabled internally and restored), so it works inside
     * {@link #noGrad()}.
     */
    public static NDArray hessian(Fn f, NDArray x) {
        return jacobian(z -> {
            Variable y = f.apply(z);
            if (y.size() != 1) {
                throw new IllegalArgumentException("hessian: f must return a single value, got shape "
                        + Shapes.str(y.shape()));
            }
            return y.requiresGrad() ? grad(new Variable[] {y}, new Variable[] {z[0]}, null, true)[0]
                    : new Variable(NDArray.zerosLike(z[0].data()));
        }, x);
    }

    /**
     * Hessian-vector product {@code H_f(x) v} of a scalar {@code f}, by differentiating {@code ∇f·v}.
     * Computed whatever the caller's grad mode (enabled internally and restored), so it works
     * inside {@link #noGrad()}.
     */
    public static NDArray hvp(Fn f, NDArray x, NDArray v) {
        try (Scope s = enableGrad()) {
            return hvpEnabled(f, x, v);
        }
    }

    private static NDArray hvpEnabled(Fn f, NDArray x, NDArray v) {
        if (!x.hasShape(v.shape())) {
            throw new IllegalArgumentException("hvp: v has shape " + Shapes.str(v.shape()) + " but x has shape "
                    + Shapes.str(x.shape()) + "; they must match");
        }
        Variable in = new Variable(x.copy(), true);
        Variable y = f.apply(in);
        if (!y.requiresGrad()) {
            return NDArray.zerosLike(x);
        }
        Variable g = grad(new Variable[] {y}, new Variable[] {in}, null, true)[0];
        Variable dot = g.mul(new Variable(v)).sum();
        if (!dot.requiresGrad()) {
            return NDArray.zerosLike(x); // the gradient is constant: f is affine in x
        }
        return grad(new Variable[] {dot}, new Variable[] {in}, null, false)[0].data();
    }

    static NDArray[] values(Variable[] vs) {
        NDArray[] out = new NDArray[vs.length];
        for (int i = 0; i < vs.length; i++) {
            out[i] = vs[i].data();
        }
        return out;
    }

    static List<Variable> list(Variable... vs) {
        return new ArrayList<>(Arrays.asList(vs));
    }
}
