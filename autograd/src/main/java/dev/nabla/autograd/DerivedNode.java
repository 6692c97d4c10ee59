package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * A constant computed from values inside a rule (ReLU's mask, abs's sign, clamp's and max's masks,
 * softmax's and logsumexp's shifts): applied as a node to the detached values instead of computed on
 * the host, so that a compiled step, which re-runs node forwards, recomputes it from the new values,
 * and so that under vmap it stays batched ({@link Vmap#constant} is its entry point). The function
 * takes the number {@code k} of leading batch axes in front of the logical shapes (0 outside vmap)
 * and shifts any axis argument by it. Not differentiable: no gradient, a zero tangent.
 * Not thread-safe: one application, on one thread.
 */
final class DerivedNode extends Node {
    private final String name;
    private final IntFunction<Function<NDArray[], NDArray>> f;

    DerivedNode(String name, IntFunction<Function<NDArray[], NDArray>> f) {
        this.name = name;
        this.f = f;
    }

    /** An elementwise derived constant (its function ignores batch axes). */
    static DerivedNode elementwise(String name, UnaryOperator<NDArray> f) {
        return new DerivedNode(name, k -> a -> f.apply(a[0]));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... xs) {
        return f.apply(0).apply(xs);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        // a constant: zero derivative (the registry's elementwise entry); applied to detached values in use, never reached
        return arity() == 1 ? new Variable[] {gy.mul(0.0)} : new Variable[arity()];
    }

    @Override
    protected Variable tangent(Variable[] inputTangents) {
        return null;
    }

    /**
     * The batching rule: the same function with one more leading batch axis, on the inputs lined up
     * as {@link Vmap#constant} lines them up (batch axis, of the batch size or 1, in front of the
     * logical shapes padded to one rank), so a derived constant stays vectorized under vmap.
     */
    @Override
    protected Variable batch(Batch b) {
        int r = b.maxRank();
        Variable[] p = new Variable[b.arity()];
        for (int i = 0; i < p.length; i++) {
            p[i] = b.aligned(i, r); // not detached: grad outside vmap goes through the physical node (zero)
        }
        return new DerivedNode(name, k -> f.apply(k + 1)).apply(p);
    }
}
