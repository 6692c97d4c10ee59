package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * Returns its input unchanged; a placeholder where a layer is optional (e.g. a removed head).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Identity extends Module {
    /** Returns {@code x} itself. */
    @Override
    public Variable forward(Variable x) {
        return x;
    }
}
