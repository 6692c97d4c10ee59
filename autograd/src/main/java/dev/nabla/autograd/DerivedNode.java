package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * A constant computed from a saved value inside a backward (ReLU's mask, abs's sign, clamp's and
 * max's masks), applied as a node to the detached value instead of computed on the host, so that a
 * compiled step, which re-runs node forwards, recomputes it from the new values. Not
 * differentiable: no gradient, a zero tangent.
 * Not thread-safe: one application, on one thread.
 */
final class DerivedNode extends Node {
    private final String name;
    private final UnaryOperator<NDArray> f;

    DerivedNode(String name, UnaryOperator<NDArray> f) {
        this.name = name;
        this.f = f;
    }

    /** {@code f(v)} as a constant recomputed at every replay. */
    static Variable of(String name, Variable v, UnaryOperator<NDArray> f) {
        return new DerivedNode(name, f).apply(v.detach());
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
        return f.apply(xs[0]);
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.mul(0.0)}; // a constant: applied to a detached value in use, so never reached
    }

    @Override
    protected Variable tangent(Variable[] inputTangents) {
        return null;
    }
}
