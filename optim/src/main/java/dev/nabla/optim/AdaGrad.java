package dev.nabla.optim;

import dev.nabla.autograd.Parameter;
import dev.nabla.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdaGrad (Duchi, Hazan and Singer, 2011): per-coordinate step sizes that shrink with the sum of
 * squared gradients seen so far. With {@code g = ∇ + λW} and PyTorch's options,
 * <pre>
 *   h ← h + g⊙g                       (h starts at initialAccumulatorValue)
 *   W ← W − η_t · g / (√h + ε),       η_t = η / (1 + (t − 1)·lrDecay)
 * </pre>
 * Not thread-safe, like every {@link Optimizer}: step it on one thread, after the backward passes
 * have finished.
 */
public final class AdaGrad extends Optimizer {
    private final double lrDecay;
    private final double weightDecay;
    private final double initialAccumulatorValue;
    private final double eps;

    /** AdaGrad with PyTorch's defaults: no lr decay, no weight decay, h₀ = 0, ε = 1e-10. */
    public AdaGrad(Iterable<Parameter> params, double lr) {
        this(builder(params).lr(lr));
    }

    private AdaGrad(Builder b) {
        super("AdaGrad", b.groups, b.lr);
        this.lrDecay = check("lr_decay", b.lrDecay);
        this.weightDecay = check("weight_decay", b.weightDecay);
        this.initialAccumulatorValue = check("initial_accumulator_value", b.initialAccumulatorValue);
        this.eps = check("eps", b.eps);
        checkGroupOptions(this::check);
    }

    private double check(String key, double v) {
        return checkRange(key, v, 0, Double.MAX_VALUE, false);
    }

    /** Starts configuring an AdaGrad over {@code params}; defaults: lr 1e-2, ε 1e-10. */
    public static Builder builder(Iterable<Parameter> params) {
        return new Builder(params);
    }

    /** Starts configuring a AdaGrad over parameter groups; the builder's settings are every group's defaults. */
    public static Builder builder(ParamGroup... groups) {
        return new Builder(java.util.Arrays.asList(groups));
    }

    @Override
    protected void update(NDArray p, NDArray grad, ParamState st) {
        double clr = groupLr() / (1 + (st.step() - 1) * option("lr_decay", lrDecay));
        double weightDecay = option("weight_decay", this.weightDecay);
        double eps = option("eps", this.eps);
        double[] h = st.buffer("sum", option("initial_accumulator_value", initialAccumulatorValue));
        double[] out = st.out();
        for (int i = 0; i < out.length; i++) {
            double w = p.getFlat(i);
            double g = grad.getFlat(i);
            if (weightDecay != 0) {
                g += weightDecay * w;
            }
            double hi = h[i] + g * g;
            h[i] = hi;
            out[i] = w - clr * g / (Math.sqrt(hi) + eps);
        }
        st.commit(p);
    }

    @Override
    protected List<String> bufferNames() {
        return List.of("sum");
    }

    @Override
    public Map<String, String> hyperParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("lr_decay", Double.toString(lrDecay));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("initial_accumulator_value", Double.toString(initialAccumulatorValue));
        m.put("eps", Double.toString(eps));
        return m;
    }

    /**
     * Fluent configuration of {@link AdaGrad}.
     * Not thread-safe: confine a builder to one thread; the optimizer it builds follows
     * {@link Optimizer}'s rules.
     */
    public static final class Builder {
        private final List<ParamGroup> groups;
        private double lr = 1e-2;
        private double lrDecay;
        private double weightDecay;
        private double initialAccumulatorValue;
        private double eps = 1e-10;

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

        /** Learning-rate decay per step (default 0). */
        public Builder lrDecay(double v) {
            lrDecay = v;
            return this;
        }

        /** L2 penalty λ added to the gradient (default 0). */
        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** Initial value of the squared-gradient sum h (default 0). */
        public Builder initialAccumulatorValue(double v) {
            initialAccumulatorValue = v;
            return this;
        }

        /** ε added to √h (default 1e-10, PyTorch's; DLfS uses 1e-7). */
        public Builder eps(double v) {
            eps = v;
            return this;
        }

        /** The configured optimizer. */
        public AdaGrad build() {
            return new AdaGrad(this);
        }
    }
}
