package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds parameters by name, in insertion order (PyTorch's {@code nn.ParameterDict}): a model
 * holding the dict as {@code scales} with an entry {@code a} has the state-dict key {@code scales.a}.
 * Names follow {@link Module#registerParameter}'s rules. It has no forward of its own.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class ParameterDict extends Module {

    /** An empty dict. */
    public ParameterDict() {
    }

    /** A dict of {@code params}, in the map's iteration order. */
    public ParameterDict(Map<String, Parameter> params) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }

    /** Adds or replaces the parameter under {@code name}; returns this. */
    public ParameterDict put(String name, Parameter p) {
        registerParameter(name, p);
        return this;
    }

    /** The parameter under {@code name}. */
    public Parameter get(String name) {
        Parameter p = ownParameters().get(name);
        if (p == null) {
            throw new IllegalArgumentException("ParameterDict.get: no parameter named '" + name + "'; keys: "
                    + ownParameters().keySet());
        }
        return p;
    }

    /** Whether a parameter is stored under {@code name}. */
    public boolean containsKey(String name) {
        return ownParameters().containsKey(name);
    }

    /** The names in insertion order (read-only). */
    public Set<String> keys() {
        return ownParameters().keySet();
    }

    /** Number of parameters. */
    public int size() {
        return ownParameters().size();
    }

    /** Always fails: a ParameterDict is a container, not a layer (as in PyTorch). */
    @Override
    public Variable forward(Variable x) {
        throw new UnsupportedOperationException("Module [ParameterDict] is missing the required \"forward\" function: "
                + "a ParameterDict only holds parameters; use them in the owning module's forward");
    }

    /** PyTorch's lines {@code (name): Parameter containing: [torch.float64 of size 2x3]}. */
    @Override
    protected String extraRepr() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : ownParameters().entrySet()) {
            lines.add("  (" + e.getKey() + "): " + describe(e.getValue()));
        }
        return String.join("\n", lines);
    }

    /** PyTorch's {@code Parameter containing: [torch.float32 of size 3x4]}. */
    static String describe(Parameter p) {
        StringBuilder size = new StringBuilder();
        for (int d : p.shape()) {
            size.append(size.length() == 0 ? "" : "x").append(d);
        }
        return "Parameter containing: [torch." + p.dtype().numpyName() + " of size " + size + "]";
    }
}
