package dev.nabla.optim;

import dev.nabla.autograd.Parameter;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop (Hinton's lecture 6e), in PyTorch's formulation: a leaky average of squared gradients
 * scales each coordinate's step. With {@code g = ∇ + λW},
 * <pre>
 *   s ← α·s + (1 − α)·g⊙g
 *   a ← α·a + (1 − α)·g,   d = √(s − a⊙a) + ε        (centered)
 *                          d = √s + ε                (otherwise)
 *   b ← μ·b + g/d,  W ← W − η·b                        (momentum μ > 0)
 *   W ← W − η·g/d                                      (otherwise)
 * </pre>
 * Not thread-safe, like every {@link Optimizer}: step it on one thread, after the backward passes
 * have finished.
 */
public final class RMSprop extends Optimizer {
    private final double alpha;
    private final double eps;
    private final double weightDecay;
    private final double momentum;
    private final boolean centered;

    /** RMSprop with PyTorch's defaults: α = 0.99, ε = 1e-8, no momentum, not centered. */
    public RMSprop(Iterable<Parameter> params, double lr) {
        this(builder(params).lr(lr));
    }

    private RMSprop(Builder b) {
        super("RMSprop", b.groups, b.lr);
        this.alpha = check("alpha", b.alpha);
        this.eps = check("eps", b.eps);
        this.weightDecay = check("weight_decay", b.weightDecay);
        this.momentum = check("momentum", b.momentum);
        this.centered = b.centered;
        checkGroupOptions(this::check);
    }

    private double check(String key, double v) {
        return checkRange(key, v, 0, key.equals("alpha") ? 1 : Double.MAX_VALUE, false);
    }

    /** Starts configuring an RMSprop over {@code params}; defaults: lr 1e-2, α 0.99, ε 1e-8. */
    public static Builder builder(Iterable<Parameter> params) {
        return new Builder(params);
    }

    /** Starts configuring a RMSprop over parameter groups; the builder's settings are every group's defaults. */
    public static Builder builder(ParamGroup... groups) {
        return new Builder(java.util.Arrays.asList(groups));
    }

    @Override
    protected void update(NDArray p, NDArray grad, ParamState st) {
        double lr = groupLr();
        double alpha = option("alpha", this.alpha);
        double eps = option("eps", this.eps);
        double weightDecay = option("weight_decay", this.weightDecay);
        double momentum = option("momentum", this.momentum);
        double[] s = st.buffer("square_avg", 0);
        double[] a = centered ? st.buffer("grad_avg", 0) : null;
        double[] b = momentum > 0 ? st.buffer("momentum_buffer", 0) : null;
        double[] out = st.out();
        double keep = 1 - alpha;
        for (int i = 0; i < out.length; i++) {
            double w = p.getFlat(i);
            double g = grad.getFlat(i);
            if (weightDecay != 0) {
                g += weightDecay * w;
            }
            double si = alpha * s[i] + keep * g * g;
            s[i] = si;
            double d;
            if (a != null) {
                double ai = alpha * a[i] + keep * g;
                a[i] = ai;
                d = Math.sqrt(si - ai * ai) + eps;
            } else {
                d = Math.sqrt(si) + eps;
            }
            if (b != null) {
                double bi = momentum * b[i] + g / d;
                b[i] = bi;
                out[i] = w - lr * bi;
            } else {
                out[i] = w - lr * g / d;
            }
        }
        st.commit(p);
    }

    @Override
    protected List<String> bufferNames() {
        List<String> names = new ArrayList<>(List.of("square_avg"));
        if (centered) {
            names.add("grad_avg");
        }
        if (anyNonZero("momentum", momentum)) {
            names.add("momentum_buffer");
        }
        return names;
    }

    @Override
    protected List<String> bufferNames(int group) {
        List<String> names = new ArrayList<>(List.of("square_avg"));
        if (centered) {
            names.add("grad_avg");
        }
        if (groupOptions(group).getOrDefault("momentum", momentum) > 0) {
            names.add("momentum_buffer");
        }
        return names;
    }

    @Override
    public Map<String, String> hyperParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("alpha", Double.toString(alpha));
        m.put("eps", Double.toString(eps));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("momentum", Double.toString(momentum));
        m.put("centered", Boolean.toString(centered));
        return m;
    }

    /**
     * Fluent configuration of {@link RMSprop}.
     * Not thread-safe: confine a builder to one thread; the optimizer it builds follows
     * {@link Optimizer}'s rules.
     */
    public static final class Builder {
        private final List<ParamGroup> groups;
        private double lr = 1e-2;
        private double alpha = 0.99;
        private double eps = 1e-8;
        private double weightDecay;
        private double momentum;
        private boolean centered;

        private Builder(Iterable<Parameter> params) {
            this.groups = params == null ? null : List.of(ParamGroup.group(params));
        }

        private Builder(List<ParamGroup> groups) {
            this.groups = groups;
        }

        /** Learning rate η (default 1e-2). */
        public Builder lr(double v) {
            lr = v;
            return this;
        }

        /** Smoothing constant α of the squared-gradient average (default 0.99). */
        public Builder alpha(double v) {
            alpha = v;
            return this;
        }

        /** ε added to the denominator (default 1e-8). */
        public Builder eps(double v) {
            eps = v;
            return this;
        }

        /** L2 penalty λ added to the gradient (default 0). */
        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** Momentum μ applied to the normalised step (default 0). */
        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        /** Normalise by an estimate of the variance rather than the second moment (default false). */
        public Builder centered(boolean v) {
            centered = v;
            return this;
        }

        /** The configured optimizer. */
        public RMSprop build() {
            return new RMSprop(this);
        }
    }
}
