package dev.nabla.optim;

import dev.nabla.autograd.Parameter;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019): Adam whose weight
 * decay shrinks the weights directly instead of entering the gradient and so the moment estimates.
 * As in PyTorch the decay is scaled by the current learning rate:
 * <pre>
 *   W ← W·(1 − η·λ)
 *   then {@link Adam}'s update of W from the undecayed gradient ∇ (bias correction, optional AMSGrad)
 * </pre>
 * Not thread-safe, like every {@link Optimizer}: step it on one thread, after the backward passes
 * have finished.
 */
public final class AdamW extends AdamRule {
    /** AdamW with PyTorch's defaults: β (0.9, 0.999), ε 1e-8, weight decay 1e-2. */
    public AdamW(Iterable<Parameter> params, double lr) {
        this(builder(params).lr(lr));
    }

    private AdamW(Builder b) {
        super("AdamW", b, true);
    }

    /** Starts configuring an AdamW over {@code params}; defaults: lr 1e-3, β (0.9, 0.999), ε 1e-8, decay 1e-2. */
    public static Builder builder(Iterable<Parameter> params) {
        return new Builder(params);
    }

    /**
     * Starts configuring a AdamW over parameter groups (PyTorch's {@code param_groups}), e.g.
     * {@code AdamW.builder(group(body), group(head).lr(1e-4).weightDecay(0)).lr(1e-3).build()}; the
     * builder's settings are the defaults of every group.
     */
    public static Builder builder(ParamGroup... groups) {
        return new Builder(java.util.Arrays.asList(groups));
    }

    /**
     * Fluent configuration of {@link AdamW}.
     * Not thread-safe: confine a builder to one thread; the optimizer it builds follows
     * {@link Optimizer}'s rules.
     */
    public static final class Builder extends AdamOptions<Builder, AdamW> {
        private Builder(Iterable<Parameter> params) {
            super(params, 1e-2);
        }

        private Builder(java.util.List<ParamGroup> groups) {
            super(groups, 1e-2);
        }

        @Override
        public AdamW build() {
            return new AdamW(this);
        }
    }
}
