package dev.nabla.optim;

import dev.nabla.autograd.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parameter group (PyTorch's {@code param_groups} entry): parameters with their own learning
 * rate and hyperparameters. Settings left unset take the optimizer's value, so
 * {@code Adam.builder(group(body.parameters()), group(head.parameters()).lr(1e-2)).lr(1e-3).build()}
 * trains the body at 1e-3 and the head at 1e-2. Option names are the optimizer's own
 * ({@code weight_decay}, {@code momentum}, {@code beta1}, {@code eps}, ...; see its
 * {@code hyperParameters()}); only numeric ones can differ per group (Nesterov, AMSGrad and
 * centered apply to all groups). Not thread-safe: build a group on one thread; the optimizer copies it.
 */
public final class ParamGroup {
    final List<Parameter> params;
    Double lr;
    final Map<String, Double> options = new LinkedHashMap<>();

    private ParamGroup(Iterable<Parameter> params) {
        if (params == null) {
            throw new IllegalArgumentException("ParamGroup: params must not be null; pass model.parameters()");
        }
        List<Parameter> list = new ArrayList<>();
        params.forEach(list::add);
        this.params = Collections.unmodifiableList(list);
    }

    /** A group of {@code params} (copied now) with the optimizer's settings until overridden. */
    public static ParamGroup group(Iterable<Parameter> params) {
        return new ParamGroup(params);
    }

    /** This group's learning rate. */
    public ParamGroup lr(double v) {
        lr = v;
        return this;
    }

    /** This group's weight decay ({@code weight_decay}; 0 exempts it, e.g. biases and norms). */
    public ParamGroup weightDecay(double v) {
        return set("weight_decay", v);
    }

    /** This group's momentum (SGD, Momentum, RMSprop). */
    public ParamGroup momentum(double v) {
        return set("momentum", v);
    }

    /** This group's Adam betas. */
    public ParamGroup betas(double beta1, double beta2) {
        set("beta1", beta1);
        return set("beta2", beta2);
    }

    /** This group's ε (Adam, AdamW, RMSprop, AdaGrad). */
    public ParamGroup eps(double v) {
        return set("eps", v);
    }

    /** Any numeric hyperparameter of the optimizer by its {@code hyperParameters()} name. */
    public ParamGroup set(String option, double value) {
        options.put(option, value);
        return this;
    }

    /** The parameters, in order (read-only). */
    public List<Parameter> params() {
        return params;
    }
}
