package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Holds parameters in a list (PyTorch's {@code nn.ParameterList}): each is registered under its
 * index, so a model holding the list as {@code params} has state-dict keys {@code params.0},
 * {@code params.1}, ... It has no forward of its own.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class ParameterList extends Module implements Iterable<Parameter> {
    private final List<Parameter> list = new ArrayList<>();

    /** A list of {@code params} (possibly none). */
    public ParameterList(Parameter... params) {
        for (Parameter p : params) {
            add(p);
        }
    }

    /** Appends {@code p} under the next index; returns this. */
    public ParameterList add(Parameter p) {
        if (p == null) {
            throw new IllegalArgumentException("ParameterList.add: parameter must not be null (position " + list.size() + ")");
        }
        // a later to(dtype) replaces data in the same Parameter object, so the list stays valid
        list.add(registerParameter(Integer.toString(list.size()), p));
        return this;
    }

    /** The parameter at {@code index} (negative counts from the end). */
    public Parameter get(int index) {
        int i = index < 0 ? index + list.size() : index;
        if (i < 0 || i >= list.size()) {
            throw new IndexOutOfBoundsException("ParameterList.get: index " + index + " is out of range for a list of "
                    + list.size() + " parameters");
        }
        return list.get(i);
    }

    /** Number of parameters. */
    public int size() {
        return list.size();
    }

    /** The parameters in order (read-only). */
    @Override
    public Iterator<Parameter> iterator() {
        return Collections.unmodifiableList(list).iterator();
    }

    /** Always fails: a ParameterList is a container, not a layer (as in PyTorch). */
    @Override
    public Variable forward(Variable x) {
        throw new UnsupportedOperationException("Module [ParameterList] is missing the required \"forward\" function: "
                + "a ParameterList only holds parameters; use them in the owning module's forward");
    }

    /** PyTorch's lines {@code (0): Parameter containing: [torch.float64 of size 2x3]}. */
    @Override
    protected String extraRepr() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            lines.add("  (" + i + "): " + ParameterDict.describe(list.get(i)));
        }
        return String.join("\n", lines);
    }
}
