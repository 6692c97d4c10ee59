package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Holds submodules in a list (PyTorch's {@code nn.ModuleList}): each is registered under its
 * index, so its parameters are named {@code 0.weight}, {@code 1.bias}, ... and a model holding the
 * list as {@code layers} has state-dict keys {@code layers.0.weight}. It has no forward of its own:
 * the owning module iterates it and calls each layer.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class ModuleList extends Module implements Iterable<Module> {
    private final List<Module> modules = new ArrayList<>();

    /** A list of {@code modules} (possibly none). */
    public ModuleList(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** A list of {@code modules}, in iteration order. */
    public ModuleList(Iterable<? extends Module> modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends {@code m} under the next index (PyTorch's {@code append}); returns this. */
    public ModuleList add(Module m) {
        if (m == null) {
            throw new IllegalArgumentException("ModuleList.add: module must not be null (position " + modules.size() + ")");
        }
        registerModule(Integer.toString(modules.size()), m);
        modules.add(m);
        return this;
    }

    /** The module at {@code index} (negative counts from the end, as in Python). */
    public Module get(int index) {
        int i = index < 0 ? index + modules.size() : index;
        if (i < 0 || i >= modules.size()) {
            throw new IndexOutOfBoundsException("ModuleList.get: index " + index + " is out of range for a list of "
                    + modules.size() + " modules");
        }
        return modules.get(i);
    }

    /** Number of modules. */
    public int size() {
        return modules.size();
    }

    /** Always fails: a ModuleList is a container, not a layer (as in PyTorch). */
    @Override
    public Variable forward(Variable x) {
        throw new UnsupportedOperationException("Module [ModuleList] is missing the required \"forward\" function: "
                + "a ModuleList only holds modules; iterate it and call each one, or use Sequential to chain them");
    }

    /** The modules in order (read-only). */
    @Override
    public Iterator<Module> iterator() {
        return Collections.unmodifiableList(modules).iterator();
    }

    /**
     * PyTorch's {@code ModuleList.__repr__}: consecutive modules that print the same are folded into
     * one line, {@code (0-2): 3 x Linear(...)}.
     */
    @Override
    public String toString() {
        if (modules.isEmpty()) {
            return "ModuleList()";
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= modules.size(); i++) {
            String block = modules.get(start).toString();
            if (i < modules.size() && modules.get(i).toString().equals(block)) {
                continue;
            }
            String head = start == i - 1 ? "(" + start + "): " : "(" + start + "-" + (i - 1) + "): " + (i - start) + " x ";
            lines.add(indent(head + block, 2));
            start = i;
        }
        return "ModuleList(\n  " + String.join("\n  ", lines) + "\n)";
    }
}
