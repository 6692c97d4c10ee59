package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * Hyperbolic tangent elementwise; derivative {@code 1 - tanh²}.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Tanh extends Module {
    @Override
    public Variable forward(Variable x) {
        return x.tanh();
    }
}
