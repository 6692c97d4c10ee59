package dev.nabla.optim;

import dev.nabla.autograd.Parameter;

/**
 * The settings shared by the {@link Adam} and {@link AdamW} builders: learning rate, β₁ and β₂, ε,
 * weight decay and AMSGrad. The two differ only in the default decay and in how the decay enters.
 *
 * @param <B> the concrete builder, returned by every setter so calls chain
 * @param <O> the optimizer it builds
 * Not thread-safe: confine a builder to one thread.
 */
public abstract class AdamOptions<B extends AdamOptions<B, O>, O extends Optimizer> {
    final java.util.List<ParamGroup> groups;
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay;
    boolean amsgrad;

    AdamOptions(Iterable<Parameter> params, double defaultWeightDecay) {
        this(params == null ? null : java.util.List.of(ParamGroup.group(params)), defaultWeightDecay);
    }

    AdamOptions(java.util.List<ParamGroup> groups, double defaultWeightDecay) {
        this.groups = groups;
        this.weightDecay = defaultWeightDecay;
    }

    private B self() {
        @SuppressWarnings("unchecked")
        B b = (B) this;
        return b;
    }

    /** Learning rate η (default 1e-3). */
    public B lr(double v) {
        lr = v;
        return self();
    }

    /** Decay rates β₁, β₂ of the first and second moment estimates (default 0.9, 0.999). */
    public B betas(double b1, double b2) {
        beta1 = b1;
        beta2 = b2;
        return self();
    }

    /** ε added to √v̂ (default 1e-8). */
    public B eps(double v) {
        eps = v;
        return self();
    }

    /**
     * Weight decay λ (default 0 for Adam, 1e-2 for AdamW): added to the gradient as λW by Adam
     * (L2 regularization), applied to the weights as W·(1 − ηλ) by AdamW (decoupled).
     */
    public B weightDecay(double v) {
        weightDecay = v;
        return self();
    }

    /** Use the running maximum of v in the denominator (AMSGrad; default false). */
    public B amsgrad(boolean v) {
        amsgrad = v;
        return self();
    }

    /** The configured optimizer. */
    public abstract O build();
}
