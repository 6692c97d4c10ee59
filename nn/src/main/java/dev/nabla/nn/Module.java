package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A building block of models: named parameters and submodules, registered explicitly into
 * insertion-ordered maps so that {@link #parameters()} has a deterministic order, plus a
 * train/eval flag (independent of grad mode). Subclasses implement {@link #forward}.
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Computes the module's output. */
    public abstract Variable forward(Variable x);

    /** Registers a parameter under {@code name} (replacing one of that name) and returns it. */
    protected final <P extends Parameter> P registerParameter(String name, P p) {
        checkName(name);
        if (p.name() == null) {
            p.named(name);
        }
        params.put(name, p);
        return p;
    }

    /** Registers a submodule under {@code name} and returns it. */
    protected final <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        children.put(name, m);
        m.train(training);
        return m;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module attribute name can't be empty or contain \".\", got \"" + name + "\"");
        }
    }

    /** This module's own parameters (not its children's), in registration order. */
    protected final Map<String, Parameter> ownParameters() {
        return Collections.unmodifiableMap(params);
    }

    /** Direct submodules in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter, depth first in registration order, keyed by dotted path ({@code layers.0.weight}). */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            out.putIfAbsent(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out);
        }
    }

    /** Every parameter in deterministic order. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() {
        for (Parameter p : parameters()) {
            p.clearGrad();
        }
    }

    /** Sets training mode here and in every submodule; returns this. */
    public Module train(boolean on) {
        training = on;
        for (Module m : children.values()) {
            m.train(on);
        }
        return this;
    }

    /** Training mode (dropout active, batch statistics). */
    public final Module train() {
        return train(true);
    }

    /** Evaluation mode (dropout off, running statistics). */
    public final Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode. */
    public final boolean isTraining() {
        return training;
    }
}
