package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Map;
import java.util.Set;

/**
 * Holds submodules by name, in insertion order (PyTorch's {@code nn.ModuleDict}): a model holding
 * the dict as {@code blocks} with an entry {@code enc} has state-dict keys {@code blocks.enc.weight}.
 * Names follow {@link Module#registerModule}'s rules (non-empty, no dots). It has no forward of its
 * own: the owning module picks the entries it calls.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class ModuleDict extends Module {

    /** An empty dict. */
    public ModuleDict() {
    }

    /** A dict of {@code modules}, in the map's iteration order. */
    public ModuleDict(Map<String, ? extends Module> modules) {
        for (Map.Entry<String, ? extends Module> e : modules.entrySet()) {
            put(e.getKey(), e.getValue());
        }
    }

    /** Adds or replaces the module under {@code name}; returns this. */
    public ModuleDict put(String name, Module m) {
        registerModule(name, m);
        return this;
    }

    /** The module under {@code name}. */
    public Module get(String name) {
        Module m = children().get(name);
        if (m == null) {
            throw new IllegalArgumentException("ModuleDict.get: no module named '" + name + "'; keys: " + children().keySet());
        }
        return m;
    }

    /** Whether a module is stored under {@code name}. */
    public boolean containsKey(String name) {
        return children().containsKey(name);
    }

    /** The names in insertion order (read-only). */
    public Set<String> keys() {
        return children().keySet();
    }

    /** Number of modules. */
    public int size() {
        return children().size();
    }

    /** Always fails: a ModuleDict is a container, not a layer (as in PyTorch). */
    @Override
    public Variable forward(Variable x) {
        throw new UnsupportedOperationException("Module [ModuleDict] is missing the required \"forward\" function: "
                + "a ModuleDict only holds modules; get the one you need by name and call it");
    }
}
