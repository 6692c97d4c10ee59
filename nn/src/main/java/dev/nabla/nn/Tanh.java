package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/** Hyperbolic tangent elementwise; derivative {@code 1 - tanh²}. */
public final class Tanh extends Module {
    @Override
    public Variable forward(Variable x) {
        return x.tanh();
    }

    @Override
    public String toString() {
        return "Tanh()";
    }
}
