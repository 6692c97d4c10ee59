package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * One recorded application of a differentiable operation. Subclasses implement {@link #forward}
 * on raw arrays and {@link #backward} with {@link Variable} operations, so that a backward pass
 * run with {@code createGraph} is itself recorded and higher derivatives come for free; beside
 * backward, a primitive declares its forward-mode rule {@link #tangent} (also from Variable
 * operations), which {@link ForwardAD} runs while dual values flow through {@link #apply}.
 * Users extend this class to add their own differentiable operations.
 * Not thread-safe: an instance records one application, on one thread (a second {@link #apply} is
 * refused with a message). Once recorded, several threads may backpropagate through it at once with
 * retainGraph, so a subclass's backward must only read what its forward saved, never write fields.
 */
public abstract class Node {
    private Variable[] inputs;
    private Variable output;
    /** Every differentiable output of a multi-output node (a {@link Function}); null for a plain node. */
    private Variable[] outputs;
    private int[] versions;
    int generation;
    /** Set by the first {@link #apply}: a node is one recorded application, so a second apply is refused. */
    private boolean applied;
    private boolean released;
    /** Set while {@link #tangent} runs on a node that was not recorded. */
    private boolean tangentOnly;
    /** Where the forward ran, recorded only in anomaly mode so a NaN in backward can point at it. */
    Throwable forwardTrace;

    /** Computes the output value from the input values. */
    protected abstract NDArray forward(NDArray... xs);

    /**
     * Returns one gradient per input (null where an input gets none) given the gradient of the
     * output. Use {@link #input(int)} and {@link #output()} for saved values.
     */
    protected abstract Variable[] backward(Variable gy);

    /**
     * The forward-mode (tangent, JAX's jvp) rule: the output's tangent given one tangent per input,
     * null where an input has none (a zero tangent), with the input tangents' shapes. Return the
     * tangent in the output's shape (null for a zero tangent). Build it from {@link Variable}
     * operations on the tangents, {@link #input(int)} and {@link #output()}, as {@link #backward},
     * so that it is itself differentiable (reverse-over-forward, jvp of jvp). Called by
     * {@link #apply} while a {@link ForwardAD} level is open and an input carries a tangent; the
     * input and output values are available then even when grad mode is off.
     *
     * @throws UnsupportedOperationException in this default: a node without a tangent rule
     */
    protected Variable tangent(Variable[] inputTangents) {
        String cls = getClass().getName();
        throw new UnsupportedOperationException(name() + " has no tangent rule, so forward-mode AD (ForwardAD, "
                + "Autograd.jvp, jacfwd, hessian, hvp) cannot go through it: override protected Variable "
                + "tangent(Variable[] inputTangents) in " + (getClass().getSimpleName().isEmpty() ? name() + "Node"
                : cls) + " beside its backward, returning the output's tangent (the derivative of forward in the "
                + "direction of the inputs' tangents; null entries are zero tangents), built from Variable operations "
                + "on the tangents, input(i) and output() — or use Autograd.jvpByDoubleVjp, which needs backward only");
    }

    /**
     * The batching rule for {@link Vmap}: the physical output, batch axis first, given the inputs at
     * the innermost vmap level ({@link Batch#physical}: batch axis first where {@link Batch#isBatched},
     * else the input itself). Build it from {@link Variable} operations on those physical values (a
     * fresh node of this class on them, with axes shifted past the batch axis, is the usual rule), so
     * that it is recorded for an outer grad and nests under an outer vmap. Called by {@link #apply}
     * when an input is batched; a gradient inside vmap then runs {@link #backward} on batched values,
     * which go through the batching rules of the nodes it uses.
     *
     * @throws UnsupportedOperationException in this default: a node without a batching rule
     */
    protected Variable batch(Batch b) {
        String cls = getClass().getName();
        throw new UnsupportedOperationException(name() + " has no batching rule, so vmap cannot go through it: "
                + "override protected Variable batch(Batch b) in " + (getClass().getSimpleName().isEmpty()
                ? name() + "Node" : cls) + " beside its tangent, returning the output for the whole batch (batch "
                + "axis first) built from Variable operations on b.physical(i) (batch axis first where b.isBatched(i))");
    }

    /** Makes the inputs and output readable by {@link #tangent} when the node was not recorded. */
    final void saveForTangent(Variable[] xs, Variable y) {
        if (inputs == null) {
            inputs = xs.clone();
            output = y;
            tangentOnly = true;
        }
    }

    /** Forgets what {@link #saveForTangent} kept for a node that was not recorded (no graph holds it). */
    final void doneWithTangent() {
        if (tangentOnly) {
            inputs = null;
            output = null;
            tangentOnly = false;
        }
    }

    /** Whether backward reads the input values (checked against in-place modification). */
    protected boolean savesInputs() {
        return true;
    }

    /** Whether backward reads the output value (checked against in-place modification). */
    protected boolean savesOutput() {
        return false;
    }

    /** The operation's name in errors and graph exports, e.g. {@code Mul}. */
    public String name() {
        String n = getClass().getSimpleName();
        return n.endsWith("Node") ? n.substring(0, n.length() - 4) : n;
    }

    /**
     * Runs the operation on {@code xs}, recording this node when grad mode is on, an input requires
     * grad and the output has a floating-point dtype (an integer or bool output is a constant).
     */
    public final Variable apply(Variable... xs) {
        if (applied) {
            String cls = getClass().getSimpleName().isEmpty() ? name() + "Node" : getClass().getSimpleName();
            throw new IllegalStateException(cls + " was already applied once; a Node records one application (the "
                    + "inputs and output its backward uses), so applying it again would corrupt the first graph — "
                    + "create a new instance per call: new " + cls + "(...).apply(...)");
        }
        applied = true;
        Vmap.Level level = Vmap.innermost(xs);
        Variable y;
        if (level != null) { // vmap: the batching rule computes the whole batch on physical values
            Batch b = new Batch(name(), level, xs);
            y = Vmap.applyRule(this, b, level);
            if (b.decomposedResult() != null) {
                return y; // built from other ops on the logical values, which recorded themselves
            }
        } else {
            NDArray[] values = new NDArray[xs.length];
            for (int i = 0; i < xs.length; i++) {
                values[i] = xs[i].data();
            }
            y = new Variable(TraceHooks.active ? TraceHooks.tracedForward(this, values) : forward(values));
        }
        boolean record = false;
        for (Variable x : xs) {
            record |= x.requiresGrad();
        }
        // an integer or bool output (a cast to int64, say) is not differentiable: a constant, as in PyTorch
        if (record && Autograd.isGradEnabled() && y.dtype().isFloatingPoint()) {
            int gen = 0;
            for (Variable x : xs) {
                gen = Math.max(gen, x.generation);
            }
            generation = gen;
            inputs = xs.clone(); // the caller may reuse its array
            output = y;
            y.attach(this, gen + 1);
            if (Autograd.isDetectAnomaly()) {
                forwardTrace = new Throwable("forward call of " + name() + " that produced the NaN gradient");
            }
            if (savesInputs() || savesOutput()) {
                versions = new int[xs.length + 1];
                for (int i = 0; i < xs.length; i++) {
                    versions[i] = xs[i].storage().version();
                }
                versions[xs.length] = y.storage().version();
            }
        }
        if (ForwardAD.anyOpen()) {
            ForwardAD.propagate(this, xs, y);
        }
        return y;
    }

    /**
     * Records a multi-output application (the node behind a {@link Function}): {@code ys} are its
     * differentiable outputs, all created by this node one generation above its deepest input. The
     * engine queues such a node once per pass and hands it every output's gradient together.
     */
    final void recordOutputs(Variable[] xs, Variable[] ys) {
        if (applied) {
            throw new IllegalStateException(name() + " was already recorded once");
        }
        applied = true;
        int gen = 0;
        for (Variable x : xs) {
            gen = Math.max(gen, x.generation);
        }
        generation = gen;
        inputs = xs.clone();
        outputs = ys.clone();
        output = ys[0];
        for (Variable y : ys) {
            y.attach(this, gen + 1);
        }
        if (Autograd.isDetectAnomaly()) {
            forwardTrace = new Throwable("forward call of " + name() + " that produced the NaN gradient");
        }
    }

    /** The outputs of a multi-output node, or null for a plain one-output node. */
    final Variable[] outputVariables() {
        return outputs;
    }

    /**
     * Backward of a multi-output node: one gradient per output ({@code null} where an output got
     * none in this pass) to one gradient per input. Only multi-output nodes override this.
     */
    Variable[] backwardOutputs(Variable[] gys) {
        throw new UnsupportedOperationException(name() + " has one output");
    }

    /** Runs {@link #backwardOutputs} after checking the graph was not freed. */
    final Variable[] runBackwardOutputs(Variable[] gys) {
        if (released) {
            throw freedError(null);
        }
        return backwardOutputs(gys);
    }

    /** Called by {@link #release}: a multi-output node frees its own saved values. */
    void onRelease() {}

    /** The i-th input as saved for backward. */
    protected final Variable input(int i) {
        return inputs[i];
    }

    /**
     * Whether input {@code i} requires grad, so that its gradient will be used (PyTorch's
     * {@code ctx.needs_input_grad[i]}). A backward may skip the work for an input that does not
     * and return null for it.
     */
    protected final boolean needsInputGrad(int i) {
        return inputs[i].requiresGrad();
    }

    /** The output as saved for backward. */
    protected final Variable output() {
        return output;
    }

    /** Number of inputs. */
    public final int arity() {
        return inputs == null ? 0 : inputs.length;
    }

    Variable[] inputs() {
        return inputs;
    }

    Variable outputVariable() {
        return output;
    }

    /** Runs backward after checking the graph was not freed and saved arrays were not modified. */
    final Variable[] runBackward(Variable gy) {
        if (released) {
            throw freedError(null);
        }
        if (versions != null) {
            for (int i = 0; i < inputs.length; i++) {
                checkVersion(savesInputs(), inputs[i].storage(), versions[i], i);
            }
            checkVersion(savesOutput(), output.storage(), versions[inputs.length], -1);
        }
        return backward(gy);
    }

    /** Fails if a saved array changed; {@code input} is the input index, or -1 for the output. */
    private void checkVersion(boolean saved, NDArray a, int expected, int input) {
        if (saved && a.version() != expected) {
            String what = input < 0 ? "its output" : "input " + input;
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified "
                    + "by an inplace operation: " + what + " of " + name() + " with shape " + Shapes.str(a.shape())
                    + " is at version " + a.version() + "; expected version " + expected
                    + " instead. Do not modify arrays in place between forward and backward (use copy()).");
        }
    }

    /** The error for a backward through a node whose saved values were freed. */
    final IllegalStateException freedError(Throwable cause) {
        return new IllegalStateException("Trying to backward through the graph a second time (or directly access "
                + "saved values after they have already been freed) at " + name() + "Backward. Saved intermediate "
                + "values of the graph are freed when you call backward() or Autograd.grad(). Specify "
                + "retainGraph=true if you need to backward through the graph a second time (also when several "
                + "threads backpropagate through the same graph).", cause);
    }

    final boolean isReleased() {
        return released;
    }

    /** Frees what was saved for backward (called unless retainGraph). */
    final void release() {
        released = true;
        inputs = null;
        output = null;
        outputs = null;
        forwardTrace = null;
        onRelease();
    }

    @Override
    public String toString() {
        return name() + "Node";
    }
}
