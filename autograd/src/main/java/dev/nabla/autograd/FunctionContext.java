package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one application of a {@link Function} keeps for its backward, PyTorch's {@code ctx}: the
 * arrays saved with {@link #saveForBackward} (read back as variables with {@link #savedTensors},
 * checked against in-place modification), the outputs marked non-differentiable, whether missing
 * output gradients are materialized as zeros, {@link #needsInputGrad} and non-tensor values
 * ({@link #put}/{@link #get}, e.g. an axis or a flag computed in forward).
 * {@link Function#apply} creates a fresh context per call; its forward and backward receive it.
 * Not thread-safe while forward fills it (one thread); afterwards it is only read, so several
 * threads may backpropagate through the recorded graph at once with retainGraph.
 */
public final class FunctionContext {
    private final String name;
    /** The inputs of the call; null once the saved values are freed. */
    private Variable[] inputs;
    private final boolean recording;
    private boolean inForward = true;
    private boolean released;
    private boolean materializeGrads = true;
    private NDArray[] toSave = new NDArray[0];
    private final List<NDArray> nonDifferentiable = new ArrayList<>();
    private final Map<String, Object> values = new HashMap<>();
    /** Saved variables and their data versions at the end of forward; set by {@link #finish}. */
    private Variable[] saved;
    private String[] savedWhat;
    private int[] versions;
    private Node node;

    FunctionContext(String name, Variable[] inputs, boolean recording) {
        this.name = name;
        this.inputs = inputs;
        this.recording = recording;
    }

    /**
     * Saves arrays for backward (PyTorch's {@code ctx.save_for_backward}); a second call replaces
     * the first. Call it in forward with the input arrays forward received or the output arrays it
     * returns: backward gets back the input or output {@link Variable} itself, so with createGraph
     * the backward is differentiated through it. Any other array (an intermediate) comes back as a
     * constant: fine for first derivatives, but its dependence on the inputs is not differentiated
     * again — recompute it from saved inputs in backward if you need second order.
     */
    public void saveForBackward(NDArray... arrays) {
        requireForward("saveForBackward");
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] == null) {
                throw new IllegalArgumentException(name + ": saveForBackward got null at position " + i
                        + "; pass the input or output arrays backward needs");
            }
        }
        toSave = arrays.clone();
    }

    /**
     * Marks outputs as not differentiable (PyTorch's {@code ctx.mark_non_differentiable}), e.g.
     * indices or a mask: they come out with {@code requiresGrad() == false}, and backward receives a
     * zero gradient for them (or null with {@code setMaterializeGrads(false)}). Call it in forward
     * with arrays forward returns. Integer and bool outputs are never differentiable anyway.
     */
    public void markNonDifferentiable(NDArray... outputs) {
        requireForward("markNonDifferentiable");
        Collections.addAll(nonDifferentiable, outputs);
    }

    /**
     * Whether an output gradient that is missing (the output was not used, or is non-differentiable)
     * reaches backward as zeros of the output's shape (true, the default, as in PyTorch) or as null
     * (false: backward must treat null as zero, saving the work). Call it in forward.
     */
    public void setMaterializeGrads(boolean materialize) {
        requireForward("setMaterializeGrads");
        this.materializeGrads = materialize;
    }

    /**
     * Whether input {@code i} needs a gradient (PyTorch's {@code ctx.needs_input_grad[i]}): grad
     * mode was on at the call and the input requires grad. Backward may return null for an input
     * that does not, skipping its work.
     */
    public boolean needsInputGrad(int i) {
        Variable[] xs = inputs;
        if (xs == null) {
            throw freed("needsInputGrad");
        }
        if (i < 0 || i >= xs.length) {
            throw new IndexOutOfBoundsException(name + ": needsInputGrad(" + i + ") is out of range for a call with "
                    + xs.length + " inputs (valid: 0.." + (xs.length - 1) + ")");
        }
        return recording && xs[i].requiresGrad();
    }

    /** Number of inputs of this call. */
    public int numInputs() {
        Variable[] xs = inputs;
        if (xs == null) {
            throw freed("numInputs");
        }
        return xs.length;
    }

    /**
     * The variables saved by {@link #saveForBackward}, in order, for backward to use (inputs and
     * outputs as themselves, intermediates as constants). Fails, naming the saved tensor, if one was
     * modified in place since forward, and with the retainGraph message once backward has freed them.
     */
    public Variable[] savedTensors() {
        Variable[] s = saved;
        int[] v = versions;
        if (released || s == null) {
            throw freed("savedTensors");
        }
        for (int i = 0; i < s.length; i++) {
            NDArray a = s[i].data();
            if (a.version() != v[i]) {
                throw new IllegalStateException("one of the variables needed for gradient computation has been "
                        + "modified by an inplace operation: saved tensor " + i + " (" + savedWhat[i] + ") of " + name
                        + " with shape " + Shapes.str(a.shape()) + " is at version " + a.version()
                        + "; expected version " + v[i] + " instead. Do not modify arrays in place between forward "
                        + "and backward (use copy()).");
            }
        }
        return s.clone();
    }

    /** Stores a non-tensor value (an axis, a flag, a computed size) for backward under {@code key}. */
    public void put(String key, Object value) {
        requireForward("put");
        values.put(key, value);
    }

    /**
     * The value stored under {@code key} by {@link #put}, cast to the caller's type. Fails naming the
     * stored keys if there is none.
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException(name + ": no value was stored under '" + key + "' (stored: "
                    + new TreeSet<>(values.keySet()) + "); call ctx.put(\"" + key + "\", value) in forward");
        }
        return (T) values.get(key);
    }

    /** Whether materialized zero gradients are on (see {@link #setMaterializeGrads}). */
    boolean materializeGrads() {
        return materializeGrads;
    }

    /** Ends forward: checks the marked outputs and returns which outputs are marked non-differentiable. */
    boolean[] finish(NDArray[] outArrays) {
        inForward = false;
        Set<NDArray> outs = Collections.newSetFromMap(new IdentityHashMap<>());
        Collections.addAll(outs, outArrays);
        boolean[] marked = new boolean[outArrays.length];
        for (NDArray m : nonDifferentiable) {
            if (m == null || !outs.contains(m)) {
                throw new IllegalArgumentException(name + ": markNonDifferentiable got "
                        + (m == null ? "null" : "an array of shape " + Shapes.str(m.shape()))
                        + " that forward did not return; mark only the output arrays forward returns");
            }
            for (int j = 0; j < outArrays.length; j++) {
                marked[j] |= outArrays[j] == m;
            }
        }
        return marked;
    }

    /**
     * Keeps what backward needs once {@code recordedBy} is recorded: resolves the saved arrays to the
     * input or output variables they are and records their versions.
     */
    void finishRecording(NDArray[] outArrays, Variable[] outputs, Node recordedBy) {
        node = recordedBy;
        resolveSaved(outArrays, outputs);
    }

    /**
     * Resolves the saved arrays to the input or output variables they are and records their
     * versions: for backward once recorded, or for {@link Function#jvp} of a call that was not.
     */
    void resolveSaved(NDArray[] outArrays, Variable[] outputs) {
        saved = new Variable[toSave.length];
        savedWhat = new String[toSave.length];
        versions = new int[toSave.length];
        for (int k = 0; k < toSave.length; k++) {
            NDArray a = toSave[k];
            for (int i = 0; i < inputs.length && saved[k] == null; i++) {
                if (inputs[i].data() == a) {
                    saved[k] = inputs[i];
                    savedWhat[k] = "input " + i;
                }
            }
            for (int j = 0; j < outArrays.length && saved[k] == null; j++) {
                if (outArrays[j] == a) {
                    saved[k] = outputs[j];
                    savedWhat[k] = "output " + j;
                }
            }
            if (saved[k] == null) {
                saved[k] = Variable.constant(a);
                savedWhat[k] = "an intermediate";
            }
            versions[k] = a.version();
        }
        toSave = null;
    }

    /** Frees what was saved (after a backward without retainGraph, or when nothing was recorded). */
    void release() {
        released = true;
        inputs = null;
        saved = null;
        toSave = null;
    }

    private void requireForward(String what) {
        if (!inForward) {
            throw new IllegalStateException(name + ": ctx." + what + " can only be called inside forward (it was "
                    + "called after forward returned)");
        }
    }

    private IllegalStateException freed(String what) {
        if (node != null) {
            return node.freedError(null);
        }
        return new IllegalStateException(name + ": ctx." + what + " is not available: this call of " + name
                + " was not recorded (grad mode was off or no input required grad), so nothing was kept for backward");
    }
}
