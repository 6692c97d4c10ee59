package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.RemovableHandle;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A building block of models: named parameters and submodules, registered explicitly into
 * insertion-ordered maps so that {@link #parameters()} has a deterministic order, plus a
 * train/eval flag (independent of grad mode). Subclasses implement {@link #forward}; containers
 * run their children through {@link #call} so that {@link #summary} can see every layer's output.
 * Not thread-safe: a module, with its parameters, buffers and train/eval flag, belongs to one
 * thread at a time (a forward pass may create lazy parameters, and batch norm updates its running
 * statistics in training mode). Backward passes on several threads into its parameters are safe:
 * gradient accumulation is atomic per {@link Parameter}.
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    /** Names of buffers that hold counts, not values: {@link #to} leaves them in float64. */
    private final java.util.Set<String> countBuffers = new java.util.HashSet<>();
    private boolean training = true;
    private DType dtype = DType.FLOAT64;
    /** Observer of {@link #call} outputs, installed only while {@link #summary} runs. */
    BiConsumer<Module, Variable> forwardHook;
    /** User hooks by registration id (PyTorch keeps them in ordered dicts keyed by handle id). */
    private final Map<Integer, ForwardPreHook> preHooks = new LinkedHashMap<>();
    private final Map<Integer, ForwardHook> postHooks = new LinkedHashMap<>();
    private int nextHookId;

    /**
     * Called by {@link #call} before {@link #forward} (PyTorch's {@code register_forward_pre_hook}):
     * a non-null result replaces the input.
     */
    @FunctionalInterface
    public interface ForwardPreHook {
        /** Sees (and may replace) {@code input} of {@code module}; null keeps it. */
        Variable apply(Module module, Variable input);
    }

    /**
     * Called by {@link #call} after {@link #forward} (PyTorch's {@code register_forward_hook}): a
     * non-null result replaces the output.
     */
    @FunctionalInterface
    public interface ForwardHook {
        /** Sees (and may replace) {@code output} computed from {@code input}; null keeps it. */
        Variable apply(Module module, Variable input, Variable output);
    }

    /**
     * Registers {@code hook} to run before every {@link #call} of this module, after the hooks
     * registered earlier; returns the handle that removes it.
     */
    public final RemovableHandle registerForwardPreHook(ForwardPreHook hook) {
        return addHook(preHooks, hook);
    }

    /**
     * Registers {@code hook} to run after every {@link #call} of this module, after the hooks
     * registered earlier; returns the handle that removes it.
     */
    public final RemovableHandle registerForwardHook(ForwardHook hook) {
        return addHook(postHooks, hook);
    }

    private <H> RemovableHandle addHook(Map<Integer, H> hooks, H hook) {
        if (hook == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": hook must not be null");
        }
        int id = nextHookId++;
        hooks.put(id, hook);
        return () -> hooks.remove(id);
    }

    /** Computes the module's output. */
    public abstract Variable forward(Variable x);

    /**
     * Runs the forward pre-hooks, {@link #forward}, the forward hooks, and reports the output to an
     * active {@link #summary} (PyTorch's {@code module(x)}); without hooks the same as calling
     * {@code forward} directly. Containers should call their children this way.
     */
    public final Variable call(Variable x) {
        if (!preHooks.isEmpty()) {
            for (ForwardPreHook h : List.copyOf(preHooks.values())) { // a hook may remove itself
                Variable r = h.apply(this, x);
                if (r != null) {
                    x = r;
                }
            }
        }
        Variable y = forward(x);
        if (!postHooks.isEmpty()) {
            for (ForwardHook h : List.copyOf(postHooks.values())) {
                Variable r = h.apply(this, x, y);
                if (r != null) {
                    y = r;
                }
            }
        }
        BiConsumer<Module, Variable> hook = forwardHook;
        if (hook != null) {
            hook.accept(this, y);
        }
        return y;
    }

    /**
     * Registers a parameter under {@code name} and returns it (PyTorch's {@code register_parameter});
     * its data is converted to this module's {@link #dtype()} if needed. Usable from outside a
     * subclass. A parameter of the same name is replaced, as in PyTorch.
     *
     * @throws IllegalArgumentException if the name is empty, contains a dot, or is already taken by
     *     a submodule or buffer ({@code "attribute 'x' already exists"})
     */
    public final <P extends Parameter> P registerParameter(String name, P p) {
        checkName("parameter", name, params);
        if (p == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".registerParameter: parameter '" + name
                    + "' must not be null");
        }
        if (p.name() == null) {
            p.named(name);
        }
        if (p.data().dtype() != dtype) {
            p.setData(p.data().astype(dtype)); // a layer materialized after to(dtype)
        }
        params.put(name, p);
        return p;
    }

    /**
     * Registers a submodule under {@code name} and returns it (PyTorch's {@code add_module} /
     * {@code register_module}); usable from outside a subclass. A submodule of the same name is
     * replaced, as in PyTorch.
     *
     * @throws IllegalArgumentException if the name is empty, contains a dot, or is already taken by
     *     a parameter or buffer ({@code "attribute 'x' already exists"})
     */
    public final <M extends Module> M registerModule(String name, M m) {
        checkName("module", name, children);
        if (m == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".registerModule: module '" + name
                    + "' must not be null");
        }
        if (m == this) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".registerModule: a module cannot be its own"
                    + " submodule ('" + name + "')");
        }
        children.put(name, m);
        m.train(training);
        return m;
    }

    /**
     * Registers a non-trainable state array (running statistics) that belongs in the state dict
     * (PyTorch's {@code register_buffer}); update it in place with {@link NDArray#copyFrom}. Usable
     * from outside a subclass; a buffer of the same name is replaced.
     *
     * @throws IllegalArgumentException if the name is empty, contains a dot, or is already taken by
     *     a parameter or submodule ({@code "attribute 'x' already exists"})
     */
    public final NDArray registerBuffer(String name, NDArray buffer) {
        checkName("buffer", name, buffers);
        if (buffer == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".registerBuffer: buffer '" + name
                    + "' must not be null");
        }
        buffers.put(name, buffer.dtype().isFloatingPoint() ? buffer.astype(dtype) : buffer); // integer buffers keep their dtype
        return buffers.get(name);
    }

    /**
     * Registers a buffer that counts (like BatchNorm's {@code num_batches_tracked}): an INT64
     * array, as in PyTorch, that {@link #to} never converts; it round-trips through
     * {@link #stateDict}, {@link #loadStateDict} (a float count of an old checkpoint is converted
     * on load) and safetensors (I64).
     *
     * @throws IllegalArgumentException if {@code buffer} is not INT64
     */
    protected final NDArray registerCountBuffer(String name, NDArray buffer) {
        checkName("buffer", name, buffers);
        if (buffer.dtype() != DType.INT64) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": count buffer '" + name + "' must be int64 "
                    + "(as PyTorch's num_batches_tracked), got " + buffer.dtype().numpyName()
                    + "; create it with NDArray.scalarLong(0)");
        }
        buffers.put(name, buffer);
        countBuffers.add(name);
        return buffer;
    }

    /**
     * The live buffer registered as {@code name}. Read buffers through this rather than keeping
     * the array in a field: {@link #to} replaces floating buffers with arrays of the new dtype.
     */
    protected final NDArray buffer(String name) {
        NDArray b = buffers.get(name);
        if (b == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no buffer named '" + name + "'; registered: "
                    + buffers.keySet());
        }
        return b;
    }

    /**
     * Converts every parameter and floating buffer of this module and its submodules to
     * {@code dtype} in place (PyTorch's {@code module.to(dtype)}) and returns this module.
     * Parameter objects stay the same, so an optimizer built on them keeps working; their gradients
     * are cleared. Layers created later (a lazy {@link Linear}'s weights) use the new dtype. Inputs
     * must then be given in that dtype too (mixing float32 and float64 promotes to float64).
     */
    public Module to(DType dtype) {
        if (dtype == null) {
            throw new IllegalArgumentException("Module.to: dtype must not be null (DType.FLOAT64 or DType.FLOAT32)");
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("Module.to: dtype " + dtype.numpyName() + " is not a floating-point dtype; "
                    + "parameters must stay floating point to have gradients (use DType.FLOAT64 or DType.FLOAT32)");
        }
        this.dtype = dtype;
        for (Parameter p : params.values()) {
            if (p.data().dtype() != dtype) {
                p.setData(p.data().astype(dtype));
            }
        }
        for (Map.Entry<String, NDArray> e : buffers.entrySet()) {
            // integer buffers keep their dtype, as PyTorch's .to(float) keeps num_batches_tracked int64
            if (!countBuffers.contains(e.getKey()) && e.getValue().dtype().isFloatingPoint()) {
                e.setValue(e.getValue().astype(dtype));
            }
        }
        for (Module m : children.values()) {
            m.to(dtype);
        }
        return this;
    }

    /** The dtype given to {@link #to} (float64 until then): what parameters created from now on use. */
    public final DType dtype() {
        return dtype;
    }

    /**
     * PyTorch's checks of {@code register_parameter}/{@code add_module}/{@code register_buffer}: a
     * {@code kind} name must be non-empty and dot-free, and may not name an attribute of another
     * kind ({@code own} is the map of its own kind, where re-registering replaces).
     */
    private void checkName(String kind, String name, Map<String, ?> own) {
        String where = getClass().getSimpleName() + ": ";
        if (name == null) {
            throw new IllegalArgumentException(where + kind + " name should be a string. Got null");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException(where + kind + " name can't be empty string \"\"");
        }
        if (name.contains(".")) {
            throw new IllegalArgumentException(where + kind + " name can't contain \".\", got: " + name
                    + " (register the submodule that should hold it, or use another name)");
        }
        boolean taken = params.containsKey(name) || children.containsKey(name) || buffers.containsKey(name);
        if (taken && !own.containsKey(name)) {
            throw new IllegalArgumentException(where + "attribute '" + name + "' already exists (as a "
                    + (params.containsKey(name) ? "parameter" : children.containsKey(name) ? "submodule" : "buffer")
                    + "); pick another name for the " + kind);
        }
    }

    /** This module's own parameters (not its children's), in registration order. */
    protected final Map<String, Parameter> ownParameters() {
        return Collections.unmodifiableMap(params);
    }

    /**
     * Direct submodules in registration order, by name (PyTorch's {@code children()} are its values;
     * a map so that the names come along).
     */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * Every parameter, depth first in registration order, keyed by dotted path ({@code layers.0.weight}).
     * A parameter shared by several modules appears once, under its first path (as PyTorch's
     * {@code named_parameters}), so that an optimizer updates it once per step.
     */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, new java.util.IdentityHashMap<>());
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out, Map<Parameter, Boolean> seen) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            if (seen.put(e.getValue(), Boolean.TRUE) == null) {
                out.putIfAbsent(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out, seen);
        }
    }

    /**
     * Parameters and buffers by dotted path, in deterministic order; the arrays are the live ones
     * (copy them to snapshot).
     */
    public final Map<String, NDArray> stateDict() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, NDArray> out) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            out.putIfAbsent(prefix + e.getKey(), e.getValue().data());
        }
        for (Map.Entry<String, NDArray> e : buffers.entrySet()) {
            out.putIfAbsent(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collectState(prefix + e.getKey() + ".", out);
        }
    }

    /**
     * Copies {@code state} into this module's parameters and buffers (values are copied, not
     * shared). With {@code strict}, missing and unexpected keys are errors; a shape mismatch always
     * is. Every problem is named in one exception, and nothing is copied unless all checks pass.
     */
    public final void loadStateDict(Map<String, NDArray> state, boolean strict) {
        prepareLoad("", state);
        Map<String, NDArray> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : own.entrySet()) {
            NDArray src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!src.hasShape(e.getValue().shape())) {
                mismatched.add(e.getKey() + ": copying a param with shape " + Shapes.str(src.shape())
                        + " from checkpoint, the shape in current model is " + Shapes.str(e.getValue().shape()));
            }
        }
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (!mismatched.isEmpty() || strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            StringBuilder sb = new StringBuilder("Error(s) in loading state dict for " + getClass().getSimpleName() + ":");
            if (strict && !missing.isEmpty()) {
                sb.append("\n\tMissing key(s) in state dict: ").append(missing);
            }
            if (strict && !unexpected.isEmpty()) {
                sb.append("\n\tUnexpected key(s) in state dict: ").append(unexpected);
            }
            for (String m : mismatched) {
                sb.append("\n\tsize mismatch for ").append(m);
            }
            throw new IllegalArgumentException(sb.toString());
        }
        for (Map.Entry<String, NDArray> e : own.entrySet()) {
            NDArray src = state.get(e.getKey());
            if (src != null) {
                e.getValue().copyFrom(src);
            }
        }
    }

    /**
     * This module and every descendant, depth first in registration order, keyed by dotted path;
     * this module itself comes first under the key {@code ""} (as PyTorch's {@code named_modules}).
     * A module registered twice appears once, under its first path.
     */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        Map<Module, Boolean> seen = new java.util.IdentityHashMap<>();
        collectModules("", this, out, seen);
        return out;
    }

    private static void collectModules(String path, Module m, Map<String, Module> out, Map<Module, Boolean> seen) {
        if (seen.put(m, Boolean.TRUE) != null) {
            return;
        }
        out.put(path, m);
        for (Map.Entry<String, Module> e : m.children.entrySet()) {
            collectModules(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out, seen);
        }
    }

    /**
     * Calls {@code fn} on every submodule (children first, recursively) and then on this module,
     * as PyTorch's {@code Module.apply}; the usual use is custom initialization, e.g.
     * {@code model.apply(m -> { if (m instanceof Linear) ((Linear) m).initialize(Init.xavierUniform(), Init.zeros(), rng); })}.
     * Returns this.
     */
    public final Module apply(Consumer<Module> fn) {
        for (Module m : children.values()) {
            m.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    /** The total number of elements over every parameter (each shared parameter counted once). */
    public final long numParameters() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.size();
        }
        return n;
    }

    /**
     * A torchinfo-style table (layer, output shape, parameter count, totals) made by running
     * {@code sample} through {@link #call} in evaluation mode without recording a graph; the
     * training flags of every module are restored afterwards, and evaluation mode keeps dropout
     * and batch-norm statistics untouched. Lazily sized layers (a {@link Linear} without an input
     * size) are materialized by this call, drawing their initial weights from their generator.
     */
    public final Summary summary(Variable sample) {
        return Summary.of(this, sample);
    }

    private void prepareLoad(String prefix, Map<String, NDArray> state) {
        beforeLoadStateDict(prefix, state);
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().prepareLoad(prefix + e.getKey() + ".", state);
        }
    }

    /**
     * Called on every module before {@link #loadStateDict} checks keys, with this module's key
     * prefix (e.g. {@code "body.3."}); lazily sized layers override it to create their parameters
     * from the shapes in {@code state}. The default does nothing.
     */
    protected void beforeLoadStateDict(String prefix, Map<String, NDArray> state) {
    }

    /** Every parameter in deterministic order. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Clears every parameter's gradient (sets it to null, PyTorch's default {@code zero_grad()}). */
    public final void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * PyTorch's {@code zero_grad(set_to_none)}: with {@code setToNull} every gradient becomes null
     * (an optimizer then skips the parameter); otherwise every existing gradient is replaced by
     * zeros of its shape and dtype (parameters without one keep null).
     */
    public final void zeroGrad(boolean setToNull) {
        for (Parameter p : parameters()) {
            zero(p, setToNull);
        }
    }

    static void zero(Parameter p, boolean setToNull) {
        if (setToNull) {
            p.clearGrad();
            return;
        }
        Variable g = p.grad();
        if (g != null) {
            p.setGrad(new Variable(NDArray.zerosLike(g.data())));
        }
    }

    /**
     * Every buffer of this module and its submodules by dotted path ({@code bn.running_mean}), depth
     * first in registration order (PyTorch's {@code named_buffers}); the arrays are the live ones.
     */
    public final Map<String, NDArray> namedBuffers() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, NDArray> b : e.getValue().buffers.entrySet()) {
                out.putIfAbsent(prefix + b.getKey(), b.getValue());
            }
        }
        return out;
    }

    /** Every buffer, in {@link #namedBuffers()} order. */
    public final List<NDArray> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    /** The direct submodules by name (PyTorch's {@code named_children}); the same map as {@link #children()}. */
    public final Map<String, Module> namedChildren() {
        return children();
    }

    /** This module and every descendant, each once, in {@link #namedModules()} order (PyTorch's {@code modules()}). */
    public final List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /**
     * Freezes ({@code false}) or unfreezes ({@code true}) every parameter of this module and its
     * submodules (PyTorch's {@code module.requires_grad_(flag)}); returns this. Frozen parameters
     * get no gradient from backward and every optimizer skips them.
     */
    public Module requiresGrad(boolean on) {
        for (Parameter p : parameters()) {
            p.requiresGrad(on);
        }
        return this;
    }

    /** Sets training mode here and in every submodule; returns this. */
    public Module train(boolean on) {
        training = on;
        for (Module m : children.values()) {
            m.train(on);
        }
        return this;
    }

    /** Sets only this module's flag (no propagation); used to restore modes after {@link #summary}. */
    final void setTrainingFlag(boolean on) {
        training = on;
    }

    /** Training mode (dropout active, batch statistics). */
    public final Module train() {
        return train(true);
    }

    /** Evaluation mode (dropout off, running statistics). */
    public final Module eval() {
        return train(false);
    }

    /**
     * The extra information shown between the parentheses of this module's {@link #toString()}
     * (PyTorch's {@code extra_repr}, e.g. {@code in_features=4, out_features=2, bias=True}); empty
     * by default. Override it rather than {@code toString} so that containers print the tree.
     */
    protected String extraRepr() {
        return "";
    }

    /**
     * The module tree in PyTorch's {@code repr} format: the class name, then {@link #extraRepr()}
     * and every child as {@code (name): child}, one per line indented by two spaces, e.g.
     * <pre>
     * Sequential(
     *   (0): Linear(in_features=784, out_features=100, bias=True)
     *   (1): ReLU()
     * )
     * </pre>
     */
    @Override
    public String toString() {
        String extra = extraRepr();
        List<String> extraLines = extra.isEmpty() ? List.of() : List.of(extra.split("\n", -1));
        List<String> lines = new ArrayList<>(extraLines);
        for (Map.Entry<String, Module> e : children.entrySet()) {
            lines.add("(" + e.getKey() + "): " + indent(e.getValue().toString(), 2));
        }
        String name = getClass().getSimpleName();
        if (lines.isEmpty()) {
            return name + "()";
        }
        if (extraLines.size() == 1 && children.isEmpty()) {
            return name + "(" + extraLines.get(0) + ")";
        }
        return name + "(\n  " + String.join("\n  ", lines) + "\n)";
    }

    /** PyTorch's {@code _addindent}: every line but the first gets {@code n} more spaces. */
    static String indent(String s, int n) {
        return s.replace("\n", "\n" + " ".repeat(n));
    }

    /** Whether this module is in training mode. */
    public final boolean isTraining() {
        return training;
    }
}
