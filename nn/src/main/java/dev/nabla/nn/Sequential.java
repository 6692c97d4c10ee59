package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A chain of modules applied in order, each through {@link Module#call}. Children are registered
 * under the names {@code "0"}, {@code "1"}, ..., so parameters are named {@code 0.weight},
 * {@code 1.bias}, ... as in PyTorch's {@code nn.Sequential}.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Sequential extends Module implements Iterable<Module> {
    private final List<Module> layers = new ArrayList<>();

    /** A chain of {@code layers} (possibly none). */
    public Sequential(Module... layers) {
        for (Module m : layers) {
            add(m);
        }
    }

    /** Appends a module under the next index name; returns this. */
    public Sequential add(Module m) {
        if (m == null) {
            throw new IllegalArgumentException("Sequential.add: module must not be null (position " + layers.size() + ")");
        }
        registerModule(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    /** The module at {@code index} (negative counts from the end). */
    public Module get(int index) {
        int i = index < 0 ? index + layers.size() : index;
        if (i < 0 || i >= layers.size()) {
            throw new IndexOutOfBoundsException("Sequential.get: index " + index + " is out of range for "
                    + layers.size() + " modules");
        }
        return layers.get(i);
    }

    /** Number of modules. */
    public int size() {
        return layers.size();
    }

    /** Applies every module in order; an empty chain returns its input. */
    @Override
    public Variable forward(Variable x) {
        Variable y = x;
        for (Module m : layers) {
            y = m.call(y);
        }
        return y;
    }

    /** The modules in order (read-only). */
    @Override
    public Iterator<Module> iterator() {
        return java.util.Collections.unmodifiableList(layers).iterator();
    }
}
