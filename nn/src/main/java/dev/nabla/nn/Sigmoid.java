package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * The logistic function {@code 1 / (1 + e^-x)} elementwise; derivative {@code σ(1 - σ)}.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Sigmoid extends Module {
    @Override
    public Variable forward(Variable x) {
        return x.sigmoid();
    }
}
