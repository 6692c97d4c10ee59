package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * {@code max(x, 0)} elementwise; its gradient is 1 for x &gt; 0 and 0 otherwise (0 at the kink, as
 * PyTorch).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class ReLU extends Module {
    @Override
    public Variable forward(Variable x) {
        return x.relu();
    }
}
