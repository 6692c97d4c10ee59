package dev.nabla.optim;

import dev.nabla.autograd.Parameter;

/**
 * Adam (Kingma and Ba, 2015) with bias correction and the AMSGrad option (Reddi, Kale and Kumar,
 * 2018). With {@code g = ∇ + λW} (coupled L2 weight decay, PyTorch's {@code weight_decay}),
 * <pre>
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g⊙g                  (AMSGrad: v̄ ← max(v̄, v) and v̄ replaces v below)
 *   m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)
 *   W ← W − η·m̂ / (√v̂ + ε)
 * </pre>
 * computed as {@code W − (η/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε)}. {@link AdamW} decouples the decay.
 * Not thread-safe, like every {@link Optimizer}: step it on one thread, after the backward passes
 * have finished.
 */
public final class Adam extends AdamRule {
    /** Adam with the paper's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8, and no weight decay. */
    public Adam(Iterable<Parameter> params, double lr) {
        this(builder(params).lr(lr));
    }

    private Adam(Builder b) {
        super("Adam", b, false);
    }

    /** Starts configuring an Adam over {@code params}; defaults: lr 1e-3, β (0.9, 0.999), ε 1e-8, no decay. */
    public static Builder builder(Iterable<Parameter> params) {
        return new Builder(params);
    }

    /**
     * Starts configuring a Adam over parameter groups (PyTorch's {@code param_groups}), e.g.
     * {@code Adam.builder(group(body), group(head).lr(1e-4).weightDecay(0)).lr(1e-3).build()}; the
     * builder's settings are the defaults of every group.
     */
    public static Builder builder(ParamGroup... groups) {
        return new Builder(java.util.Arrays.asList(groups));
    }

    /**
     * Fluent configuration of {@link Adam}.
     * Not thread-safe: confine a builder to one thread; the optimizer it builds follows
     * {@link Optimizer}'s rules.
     */
    public static final class Builder extends AdamOptions<Builder, Adam> {
        private Builder(Iterable<Parameter> params) {
            super(params, 0);
        }

        private Builder(java.util.List<ParamGroup> groups) {
            super(groups, 0);
        }

        @Override
        public Adam build() {
            return new Adam(this);
        }
    }
}
