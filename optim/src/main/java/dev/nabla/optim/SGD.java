package dev.nabla.optim;

import dev.nabla.autograd.Parameter;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Parallel;
import dev.nabla.ndarray.UpdateKernels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, in PyTorch's formulation: with {@code g = ∇ + λW},
 * <pre>
 *   b ← g                         (first step)
 *   b ← μ·b + (1 − τ)·g           (later steps)
 *   g ← g + μ·b  (Nesterov)   or   g ← b
 *   W ← W − η·g
 * </pre>
 * The learning rate multiplies the buffer at each step, so changing it mid-run takes effect at
 * once. For the classic form {@code v ← γv − η∇, W ← W + v} see {@link Momentum}.
 * Not thread-safe, like every {@link Optimizer}: step it on one thread, after the backward passes
 * have finished.
 */
public final class SGD extends Optimizer {
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;

    /** Plain SGD, {@code W ← W − η∇}. */
    public SGD(Iterable<Parameter> params, double lr) {
        this(builder(params).lr(lr));
    }

    private SGD(Builder b) {
        super("SGD", b.groups, b.lr);
        this.momentum = check("momentum", b.momentum);
        this.dampening = check("dampening", b.dampening);
        this.nesterov = b.nesterov;
        this.weightDecay = check("weight_decay", b.weightDecay);
        checkNesterov(momentum, dampening);
        checkGroupOptions(this::check);
        for (int g = 0; g < groupCount(); g++) {
            Map<String, Double> o = groupOptions(g);
            checkNesterov(o.getOrDefault("momentum", momentum), o.getOrDefault("dampening", dampening));
        }
    }

    private double check(String key, double v) {
        return checkRange(key, v, 0, key.equals("dampening") ? 1 : Double.MAX_VALUE, false);
    }

    private void checkNesterov(double momentum, double dampening) {
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum > 0 and zero dampening "
                    + "(got momentum " + momentum + ", dampening " + dampening + ")");
        }
    }

    /**
     * Starts configuring an SGD over parameter groups, e.g.
     * {@code SGD.builder(group(body), group(head).lr(0.1).momentum(0)).lr(0.01).momentum(0.9).build()};
     * the builder's settings are the defaults of every group.
     */
    public static Builder builder(ParamGroup... groups) {
        return new Builder(java.util.Arrays.asList(groups));
    }

    /** Starts configuring an SGD over {@code params}; defaults: lr 1e-3, no momentum, no decay. */
    public static Builder builder(Iterable<Parameter> params) {
        return new Builder(params);
    }

    @Override
    protected void update(NDArray p, NDArray grad, ParamState st) {
        double momentum = option("momentum", this.momentum);
        double weightDecay = option("weight_decay", this.weightDecay);
        if (UpdateKernels.supports(p, grad)) { // one pass over the parameter's own storage, the same bits
            boolean first = momentum != 0 && !st.has("momentum_buffer");
            double[] b = momentum == 0 ? null : st.buffer("momentum_buffer", 0);
            UpdateKernels.sgd(p, grad, b, first, groupLr(), weightDecay, momentum, 1 - option("dampening", dampening),
                    nesterov);
            return;
        }
        if (momentum == 0 && weightDecay == 0 && p.dtype() == DType.FLOAT64 && grad.dtype() == DType.FLOAT64) {
            p.addInPlace(grad, -groupLr()); // the same bits as w - lr*g, in one pass without the scratch copy
            return;
        }
        double[] out = st.out();
        double lr = groupLr();
        int t = Parallel.threadsFor(out.length);
        if (momentum == 0) {
            double wd = weightDecay;
            if (t == 1) {
                plain(p, grad, out, lr, wd, 0, out.length);
            } else {
                Parallel.forRange(out.length, t, (from, to) -> plain(p, grad, out, lr, wd, from, to));
            }
        } else {
            boolean first = !st.has("momentum_buffer");
            double[] b = st.buffer("momentum_buffer", 0);
            if (t == 1) {
                withMomentum(p, grad, out, b, first, lr, 0, out.length, momentum, weightDecay);
            } else {
                Parallel.forRange(out.length, t, (from, to) -> withMomentum(p, grad, out, b, first, lr, from, to, momentum,
                        weightDecay));
            }
        }
        st.commit(p);
    }

    // Separate methods so that the JIT compiles each loop on its own profile.
    private static void plain(NDArray p, NDArray grad, double[] out, double lr, double wd, int from, int to) {
        for (int i = from; i < to; i++) {
            double w = p.getFlat(i);
            double g = grad.getFlat(i);
            if (wd != 0) {
                g += wd * w;
            }
            out[i] = w - lr * g;
        }
    }

    private void withMomentum(NDArray p, NDArray grad, double[] out, double[] b, boolean first, double lr, int from,
            int to, double mu, double wd) {
        double keep = 1 - option("dampening", dampening);
        boolean nest = nesterov;
        for (int i = from; i < to; i++) {
            double w = p.getFlat(i);
            double g = grad.getFlat(i);
            if (wd != 0) {
                g += wd * w;
            }
            double bi = first ? g : mu * b[i] + keep * g;
            b[i] = bi;
            out[i] = w - lr * (nest ? g + mu * bi : bi);
        }
    }

    @Override
    protected List<String> bufferNames() {
        return anyNonZero("momentum", momentum) ? List.of("momentum_buffer") : List.of();
    }

    @Override
    protected List<String> bufferNames(int group) {
        return groupOptions(group).getOrDefault("momentum", momentum) != 0 ? List.of("momentum_buffer") : List.of();
    }

    @Override
    public Map<String, String> hyperParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("momentum", Double.toString(momentum));
        m.put("dampening", Double.toString(dampening));
        m.put("nesterov", Boolean.toString(nesterov));
        m.put("weight_decay", Double.toString(weightDecay));
        return m;
    }

    /**
     * Fluent configuration of {@link SGD}.
     * Not thread-safe: confine a builder to one thread; the optimizer it builds follows
     * {@link Optimizer}'s rules.
     */
    public static final class Builder {
        private final List<ParamGroup> groups;
        private double lr = 1e-3;
        private double momentum;
        private double dampening;
        private boolean nesterov;
        private double weightDecay;

        private Builder(Iterable<Parameter> params) {
            this.groups = params == null ? null : List.of(ParamGroup.group(params));
        }

        private Builder(List<ParamGroup> groups) {
            this.groups = groups;
        }

        /** Learning rate η (default 1e-3). */
        public Builder lr(double v) {
            lr = v;
            return this;
        }

        /** Momentum factor μ (default 0: plain SGD). */
        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        /** Dampening τ of the gradient entering the momentum buffer (default 0). */
        public Builder dampening(double v) {
            dampening = v;
            return this;
        }

        /** Nesterov momentum (needs momentum > 0 and dampening 0). */
        public Builder nesterov(boolean v) {
            nesterov = v;
            return this;
        }

        /** L2 penalty λ added to the gradient as {@code λW} (default 0). */
        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** The configured optimizer. */
        public SGD build() {
            return new SGD(this);
        }
    }
}
