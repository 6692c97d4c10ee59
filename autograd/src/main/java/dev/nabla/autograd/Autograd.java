package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Grad mode (thread-local), anomaly mode, and the functional API on top of the backward engine:
 * {@link #grad}, {@link #vjp}, {@link #jvp} (true forward mode, {@link ForwardAD}), {@link #jacfwd},
 * {@link #jacrev}, {@link #jacobian}, {@link #hessian} and {@link #hvp} (forward over reverse).
 *
 * <p>PyTorch's {@code create_graph} and {@code strict}: {@link #jvp(MultiFn, Variable[], Variable[],
 * boolean, boolean)} takes both (a differentiable result; an error for an output independent of
 * the inputs); {@link #jacfwd(MultiFn, NDArray[], boolean)} and {@link #jacrev(MultiFn, NDArray[],
 * boolean)} take {@code strict} (an error naming the output and input of an all-zero block); the
 * array-valued {@code jacobian}, {@code hessian} and {@code hvp} return values, PyTorch's
 * {@code create_graph=False}, and give zeros for independent inputs ({@code strict=False}).
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
                out[i] = new Variable(NDArray.zeros(inputs[i].dtype(), inputs[i].shape()));
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
     * Jacobian-vector product {@code J_f(x) u} in true forward mode: one forward pass on dual values
     * ({@link ForwardAD}), no backward graph. Every op {@code f} runs through needs a tangent rule.
     * Works whatever the caller's grad mode. See {@link #jvp(MultiFn, Variable[], Variable[], boolean,
     * boolean)} for several outputs, createGraph and strict.
     */
    public static NDArray jvp(Fn f, NDArray[] xs, NDArray[] u) {
        Variable[] p = constants(xs);
        Variable[] t = constants(u);
        return jvp(z -> new Variable[] {f.apply(z)}, p, t, false, false).tangents()[0].data();
    }

    /**
     * Jacobian-vector product {@code J_f(x) u} by the double-vjp trick: differentiate
     * {@code g(w) = wᵀJ} (linear in w) once more with respect to w. It costs a forward, a recorded
     * backward and a backward of that, and needs every op's backward to be differentiable, but no
     * tangent rules; kept to compare against {@link #jvp(Fn, NDArray[], NDArray[])}. Computed
     * whatever the caller's grad mode (enabled internally and restored), so it works inside
     * {@link #noGrad()}.
     */
    public static NDArray jvpByDoubleVjp(Fn f, NDArray[] xs, NDArray[] u) {
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
     * The Jacobian of {@code f} at {@code x}, shaped {@code y.shape ++ x.shape}, by reverse mode (one
     * backward per output element; the same as {@link #jacrev(Fn, NDArray)}). Computed whatever the
     * caller's grad mode (enabled internally and restored), so it works inside {@link #noGrad()}.
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
     * The Hessian of a scalar {@code f} at {@code x}, shaped {@code x.shape ++ x.shape}, by reverse
     * over reverse (the Jacobian of the createGraph gradient); kept to compare against the
     * forward-over-reverse {@link #hessian(Fn, NDArray)}. Computed whatever the caller's grad mode.
     */
    public static NDArray hessianByDoubleBackward(Fn f, NDArray x) {
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
     * Hessian-vector product {@code H_f(x) v} of a scalar {@code f}, by reverse over reverse
     * (differentiating {@code ∇f·v}); kept to compare against the forward-over-reverse
     * {@link #hvp(Fn, NDArray, NDArray)}. Computed whatever the caller's grad mode (enabled
     * internally and restored), so it works inside {@link #noGrad()}.
     */
    public static NDArray hvpByDoubleBackward(Fn f, NDArray x, NDArray v) {
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


    // ------------------------------------------------------------------ forward mode and transforms

    /**
     * A function of several variables returning several variables (PyTorch's tuples of outputs).
     * Called on the thread that calls the transform.
     */
    @FunctionalInterface
    public interface MultiFn {
        /** Evaluates the function on {@code xs}. */
        Variable[] apply(Variable... xs);
    }

    /**
     * What {@link #jvp(MultiFn, Variable[], Variable[], boolean, boolean)} returns: the function's
     * outputs and their tangents {@code J u} (PyTorch's {@code (func_output, jvp)}).
     * Immutable and thread-safe (the variables follow their own rules).
     */
    public static final class JvpResult {
        private final Variable[] outputs;
        private final Variable[] tangents;

        JvpResult(Variable[] outputs, Variable[] tangents) {
            this.outputs = outputs;
            this.tangents = tangents;
        }

        /** The function's outputs, in order (copy of the array). */
        public Variable[] outputs() {
            return outputs.clone();
        }

        /** Each output's tangent {@code J u}, in order (copy of the array). */
        public Variable[] tangents() {
            return tangents.clone();
        }
    }

    /**
     * Jacobian-vector products of every output of {@code f} at {@code primals} in the direction
     * {@code tangents} (one per input, of its shape), in true forward mode (PyTorch's
     * {@code torch.autograd.functional.jvp} computed as {@code torch.func.jvp} does): one forward pass
     * on dual values, no backward graph. With {@code createGraph} grad mode is on while {@code f}
     * runs, so outputs and tangents are differentiable with respect to primals and tangents that
     * require grad (reverse over forward); without it, nothing is recorded (grad mode off) and the
     * results are constants. With {@code strict}, an output independent of the inputs (no tangent)
     * is an error, as PyTorch's strict mode; otherwise its tangent is zeros. jvp nests: {@code f} may
     * itself call jvp (a new forward-AD level), giving second directional derivatives.
     */
    public static JvpResult jvp(MultiFn f, Variable[] primals, Variable[] tangents, boolean createGraph,
                                boolean strict) {
        return Transforms.jvp(f, primals, tangents, createGraph, strict);
    }

    /**
     * Vectorizing map (JAX's {@code jax.vmap(f, in_axes, out_axes)}, PyTorch's {@code torch.func.vmap}):
     * a function that runs {@code f}, written for one example, over a batch in one pass, by the
     * batching rule of every node it records (see {@link Vmap}; not a loop over the examples).
     * {@code inAxes} gives each input's batch axis (negative counts from the end) or
     * {@link Vmap#NOT_BATCHED} for an input shared by every example; null means axis 0 for every
     * input, and a single entry applies to all. Batched inputs must agree on the batch size.
     * {@code outAxes} places the batch axis in each output (null: 0 for all; one entry: for all;
     * {@link Vmap#NOT_BATCHED} only for an output independent of the batch); an output independent
     * of the batched inputs is broadcast to the batch. Composes with the other transforms and with
     * itself: {@code vmap(xs -> grad(...))} gives per-example gradients, gradients and jvps of a
     * vmapped function go through the recorded physical ops, and vmaps nest (one level each).
     * Inside {@code f}, {@code data()} and {@code item()} of a batched value, random ops and
     * in-place updates are refused with a message.
     */
    public static MultiFn vmap(MultiFn f, int[] inAxes, int[] outAxes) {
        return Vmap.vmap(f, inAxes, outAxes);
    }

    /**
     * {@link #vmap(MultiFn, int[], int[])} of a one-output {@code f}, its output batched along axis 0;
     * {@code inAxes} as there (none: axis 0 for every input).
     */
    public static Fn vmap(Fn f, int... inAxes) {
        if (f == null) {
            throw new IllegalArgumentException("vmap: the function must not be null");
        }
        MultiFn m = Vmap.vmap(xs -> new Variable[] {f.apply(xs)}, inAxes.length == 0 ? null : inAxes, null);
        return xs -> m.apply(xs)[0];
    }

    /**
     * The Jacobian blocks of {@code f} at {@code xs} by forward mode: {@code J[j][i]} is output j's
     * Jacobian with respect to input i, shaped {@code y_j.shape ++ x_i.shape} (PyTorch's nested-tuple
     * layout, {@code jacobian(strategy="forward-mode")}), float64. One batched pass per input, JAX's
     * {@code vmap(jvp)}: the jvp runs once over every unit tangent of the input at the same time. A
     * function that vmap refuses (a custom {@link Function}, which has no batching rule, data
     * read from a value, a random op) is differentiated instead by one jvp per input element, the
     * same Jacobian. With {@code strict}, an output independent of an input is an error, else a zero
     * block. Cheaper than {@link #jacrev} when inputs are fewer than outputs.
     */
    public static NDArray[][] jacfwd(MultiFn f, NDArray[] xs, boolean strict) {
        try {
            return Transforms.jacfwd(f, xs, strict);
        } catch (UnsupportedOperationException | IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("vmap:") && !e.getMessage().contains("batching rule")) {
                throw e;
            }
            return Transforms.jacfwdByColumns(f, xs, strict); // what vmap refuses, one column at a time
        }
    }

    /** The Jacobian of one-input, one-output {@code f} at {@code x} by forward mode, shaped {@code y.shape ++ x.shape}. */
    public static NDArray jacfwd(Fn f, NDArray x) {
        return jacfwd(z -> new Variable[] {f.apply(z)}, new NDArray[] {x}, false)[0][0];
    }

    /**
     * The Jacobian blocks of {@code f} at {@code xs} by reverse mode over one recorded graph: one
     * batched backward pass per output, JAX's {@code vmap(vjp)} over every unit cotangent of the
     * output at once (where vmap refuses the backward, a custom {@link Function} say, one backward
     * per output element instead); the same layout, dtype and {@code strict} behaviour as
     * {@link #jacfwd(MultiFn, NDArray[], boolean)}. Cheaper when outputs are fewer than inputs.
     */
    public static NDArray[][] jacrev(MultiFn f, NDArray[] xs, boolean strict) {
        try {
            return Transforms.jacrev(f, xs, strict);
        } catch (UnsupportedOperationException | IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("vmap:") && !e.getMessage().contains("batching rule")) {
                throw e;
            }
            return Transforms.jacrevByRows(f, xs, strict); // what vmap refuses, one row at a time
        }
    }

    /** The Jacobian of one-input, one-output {@code f} at {@code x} by reverse mode, shaped {@code y.shape ++ x.shape}. */
    public static NDArray jacrev(Fn f, NDArray x) {
        return jacrev(z -> new Variable[] {f.apply(z)}, new NDArray[] {x}, false)[0][0];
    }

    /**
     * The Hessian of a scalar {@code f} at {@code x}, shaped {@code x.shape ++ x.shape}, forward over
     * reverse (JAX's {@code jacfwd(grad(f))}): one forward and one backward pass on dual values per
     * element of x, each giving a column {@code H e_k}. Computed whatever the caller's grad mode.
     *
     * @throws IllegalArgumentException if {@code f} does not return a single value
     */
    public static NDArray hessian(Fn f, NDArray x) {
        return hessian(f, new NDArray[] {x})[0][0];
    }

    /**
     * The Hessian blocks of a scalar {@code f} of several inputs, forward over reverse:
     * {@code H[i][j] = ∂²f/∂x_i∂x_j}, shaped {@code x_i.shape ++ x_j.shape} (PyTorch's layout).
     */
    public static NDArray[][] hessian(Fn f, NDArray[] xs) {
        return Transforms.hessian(f, xs);
    }

    /**
     * Hessian-vector product {@code H_f(x) v} of a scalar {@code f}, forward over reverse: x carries
     * the tangent v through one forward and one backward pass, and the gradient's tangent is
     * {@code H v} (one pass, no createGraph backward). Computed whatever the caller's grad mode.
     */
    public static NDArray hvp(Fn f, NDArray x, NDArray v) {
        return hvp(f, new NDArray[] {x}, new NDArray[] {v})[0];
    }

    /**
     * Hessian-vector products of a scalar {@code f} of several inputs, forward over reverse: entry i
     * is {@code Σ_j H[i][j] v_j} (PyTorch's {@code hvp} with tuple inputs).
     */
    public static NDArray[] hvp(Fn f, NDArray[] xs, NDArray[] v) {
        return Transforms.hvp("hvp", f, xs, v);
    }

    /** Constants (no grad) wrapping the arrays. */
    static Variable[] constants(NDArray[] xs) {
        Variable[] v = new Variable[xs.length];
        for (int i = 0; i < xs.length; i++) {
            v[i] = new Variable(xs[i]);
        }
        return v;
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
