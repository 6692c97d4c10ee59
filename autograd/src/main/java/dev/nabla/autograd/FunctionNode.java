package dev.nabla.autograd;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * The recorded application of a {@link Function}: one node with several outputs (its
 * differentiable ones), which the engine runs once with every output's gradient. It maps those
 * gradients to the user's outputs (zeros or null where missing), calls the function's backward and
 * checks what it returns.
 * Not thread-safe while recorded (one thread); afterwards its backward only reads, so several
 * threads may backpropagate through it at once with retainGraph.
 */
final class FunctionNode extends Node {
    private final Function fn;
    private final FunctionContext ctx;
    /** The user output index of each recorded (differentiable) output. */
    private final int[] recorded;
    private final int[][] shapes;
    private final DType[] dtypes;

    FunctionNode(Function fn, FunctionContext ctx, NDArray[] outs, int[] recorded) {
        this.fn = fn;
        this.ctx = ctx;
        this.recorded = recorded.clone();
        this.shapes = new int[outs.length][];
        this.dtypes = new DType[outs.length];
        for (int j = 0; j < outs.length; j++) {
            shapes[j] = outs[j].shape();
            dtypes[j] = outs[j].dtype();
        }
    }

    @Override
    public String name() {
        return fn.name();
    }

    @Override
    protected boolean savesInputs() {
        return false; // the context checks what the function saved
    }

    @Override
    protected NDArray forward(NDArray... xs) {
        throw new UnsupportedOperationException(name() + " is recorded by Function.apply");
    }

    @Override
    protected Variable[] backward(Variable gy) {
        throw new UnsupportedOperationException(name() + " has several outputs: the engine calls backwardOutputs");
    }

    @Override
    protected Variable tangent(Variable[] inputTangents) {
        throw new UnsupportedOperationException(name() + ": a custom Function's tangents come from its jvp, which "
                + "Function.apply calls; its node is never applied");
    }

    @Override
    Variable[] backwardOutputs(Variable[] gys) {
        Variable[] g = new Variable[shapes.length];
        for (int k = 0; k < recorded.length; k++) {
            g[recorded[k]] = gys[k];
        }
        if (ctx.materializeGrads()) {
            for (int j = 0; j < g.length; j++) {
                if (g[j] == null) {
                    g[j] = new Variable(NDArray.zeros(dtypes[j], shapes[j]));
                }
            }
        }
        Variable[] gx = fn.backward(ctx, g);
        int n = arity();
        if (gx == null) {
            throw new IllegalStateException("function " + name() + "Backward returned null; return an array with one "
                    + "gradient per input (" + n + "), null for an input that gets none");
        }
        if (gx.length != n) {
            throw new IllegalStateException("function " + name() + "Backward returned an incorrect number of gradients "
                    + "(expected " + n + ", got " + gx.length + ")");
        }
        for (int i = 0; i < n; i++) {
            if (gx[i] != null && !java.util.Arrays.equals(gx[i].shape(), input(i).shape())) {
                throw new IllegalStateException("Function " + name() + "Backward returned an invalid gradient at index "
                        + i + " - got " + Shapes.str(gx[i].shape()) + " but expected shape compatible with "
                        + Shapes.str(input(i).shape()));
            }
        }
        return gx;
    }

    @Override
    void onRelease() {
        ctx.release();
    }

    @Override
    protected Variable batch(Batch b) {
        throw b.refuse("(the node of a custom Function) has no batching rule: vmap does not fall back to a loop over "
                + "the examples; write the op as a Node subclass with a batch(Batch) rule");
    }
}
