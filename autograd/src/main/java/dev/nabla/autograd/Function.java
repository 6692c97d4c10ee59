package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * A custom differentiable function with any number of inputs and outputs, PyTorch's
 * {@code torch.autograd.Function} (DeZero's {@code Function} with several outputs): subclasses
 * implement {@link #forward} on raw arrays and {@link #backward} with {@link Variable} operations
 * (so a backward run with createGraph is itself recorded and second derivatives follow), and
 * callers use {@link #apply}. A one-output op can still extend the primitive {@link Node}.
 *
 * <p>Per-call state lives in the {@link FunctionContext} that {@code apply} creates and hands to
 * forward and then backward: saved arrays ({@link FunctionContext#saveForBackward}), outputs marked
 * non-differentiable, and non-tensor values ({@link FunctionContext#put}/{@link
 * FunctionContext#get}). Fields of a subclass hold configuration only (an axis, say) and should be
 * final: one instance may be applied any number of times, each call recording its own node and
 * context, as PyTorch's Function classes are stateless.
 *
 * <p>Gradients, as in PyTorch: backward receives one gradient per output, zeros of the output's
 * shape for an output that got none in this pass (the output was unused, or is non-differentiable),
 * or null there after {@code ctx.setMaterializeGrads(false)}. It returns one gradient per input,
 * null for an input that gets none; {@link FunctionContext#needsInputGrad} tells which are needed.
 * A wrong count or shape fails naming the function. Saved values are freed by a backward without
 * retainGraph; a second backward then fails with the retainGraph message.
 *
 * <pre>{@code
 * final class SinCos extends Function {
 *     protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
 *         ctx.saveForBackward(x[0]);
 *         return new NDArray[] {x[0].sin(), x[0].cos()};
 *     }
 *
 *     protected Variable[] backward(FunctionContext ctx, Variable... g) {
 *         Variable x = ctx.savedTensors()[0];
 *         return new Variable[] {g[0].mul(x.cos()).sub(g[1].mul(x.sin()))};
 *     }
 * }
 * Variable[] sc = new SinCos().apply(x); // sc[0] = sin x, sc[1] = cos x
 * }</pre>
 *
 * Thread-safe if the subclass's fields are immutable: {@code apply} keeps no state in the instance,
 * so several threads may apply one instance at once; each recorded call is then like a {@link Node}
 * (several threads may backpropagate through it with retainGraph).
 */
public abstract class Function {
    /** For subclasses. */
    protected Function() {}

    /**
     * Computes the outputs from the input values (grad mode plays no role here: these are arrays).
     * Save what backward needs in {@code ctx}; mark index or mask outputs non-differentiable.
     */
    protected abstract NDArray[] forward(FunctionContext ctx, NDArray... inputs);

    /**
     * Returns one gradient per input (null where an input gets none) given one gradient per output
     * (zeros, or null without materialization, for an output that got none). Build it from
     * {@link Variable} operations on {@code ctx.savedTensors()} so that createGraph differentiates it.
     */
    protected abstract Variable[] backward(FunctionContext ctx, Variable... gradOutputs);

    /**
     * The forward-mode rule (PyTorch's {@code Function.jvp}): one tangent per output (null for a zero
     * tangent; ignored for non-differentiable outputs) given one tangent per input — zeros of the
     * input's shape for an input without one, or null there after {@code ctx.setMaterializeGrads(false)}.
     * Called by {@link #apply} while a {@link ForwardAD} level is open and an input carries a tangent,
     * after forward, with the same context: {@code ctx.savedTensors()} and {@code ctx.get} work here
     * even when grad mode is off. Build the tangents from {@link Variable} operations so that they
     * are differentiable again.
     *
     * @throws UnsupportedOperationException in this default: a function without a forward-mode rule
     */
    protected Variable[] jvp(FunctionContext ctx, Variable... inputTangents) {
        throw new UnsupportedOperationException("function " + name() + " does not implement jvp, so forward-mode AD "
                + "(ForwardAD, Autograd.jvp, jacfwd, hessian, hvp) cannot go through it: override protected "
                + "Variable[] jvp(FunctionContext ctx, Variable... inputTangents) in " + getClass().getName()
                + " returning one tangent per output (the derivative of each output in the direction of the inputs' "
                + "tangents), built from Variable operations — or use Autograd.jvpByDoubleVjp, which needs backward only");
    }

    /** The function's name in errors and graph exports: the class's simple name (e.g. {@code SinCos}). */
    public String name() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "CustomFunction" : n;
    }

    /**
     * Runs forward on the input values and wraps the outputs. When grad mode is on and an input
     * requires grad, the call is recorded: every floating-point output not marked non-differentiable
     * requires grad and backpropagates through {@link #backward}; the others are constants.
     */
    public final Variable[] apply(Variable... inputs) {
        if (TraceHooks.active) {
            TraceHooks.function(name());
        }
        Variable[] xs = inputs.clone();
        NDArray[] values = new NDArray[xs.length];
        boolean anyRequiresGrad = false;
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] == null) {
                throw new IllegalArgumentException(name() + ".apply: input " + i + " is null; pass a Variable "
                        + "(Variable.constant(array) for a value that is not differentiated)");
            }
            if (xs[i].batchLevel() != null) {
                throw new UnsupportedOperationException("vmap: the custom Function " + name() + " has no batching "
                        + "rule (input " + i + " is batched, per-example shape " + dev.nabla.ndarray.Shapes.str(
                        xs[i].shape()) + "); vmap does not fall back to a loop over the examples: write the op as a "
                        + "Node subclass with a batch(Batch) rule, or compose it from Variable operations");
            }
            values[i] = xs[i].data();
            anyRequiresGrad |= xs[i].requiresGrad();
        }
        boolean record = anyRequiresGrad && Autograd.isGradEnabled();
        FunctionContext ctx = new FunctionContext(name(), xs, record);
        NDArray[] outs = forward(ctx, values);
        if (outs == null || outs.length == 0) {
            throw new IllegalStateException(name() + ".forward returned " + (outs == null ? "null" : "no outputs")
                    + "; return an array with at least one output");
        }
        outs = outs.clone();
        Variable[] ys = new Variable[outs.length];
        for (int j = 0; j < outs.length; j++) {
            if (outs[j] == null) {
                throw new IllegalStateException(name() + ".forward returned null as output " + j
                        + "; every output must be an array");
            }
            ys[j] = new Variable(outs[j]);
        }
        boolean[] marked = ctx.finish(outs);
        int n = 0;
        int[] recorded = new int[outs.length];
        boolean[] differentiable = new boolean[outs.length];
        for (int j = 0; j < outs.length; j++) {
            if (!marked[j] && outs[j].dtype().isFloatingPoint()) {
                differentiable[j] = true;
                recorded[n++] = j;
            }
        }
        boolean recordedNode = false;
        if (record && n > 0) { // with only indices or masks there is nothing to differentiate
            recorded = java.util.Arrays.copyOf(recorded, n);
            Variable[] diff = new Variable[n];
            for (int k = 0; k < n; k++) {
                diff[k] = ys[recorded[k]];
            }
            FunctionNode node = new FunctionNode(this, ctx, outs, recorded);
            node.recordOutputs(xs, diff);
            ctx.finishRecording(outs, ys, node);
            recordedNode = true;
        }
        if (n > 0 && ForwardAD.anyOpen()) {
            if (!recordedNode) {
                ctx.resolveSaved(outs, ys);
            }
            try {
                ForwardAD.propagate(this, ctx, xs, ys, differentiable);
            } finally {
                if (!recordedNode) {
                    ctx.release();
                }
            }
        }
        return ys;
    }

    @Override
    public String toString() {
        return name();
    }
}
