package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * The Heaviside step {@code x > 0 ? 1 : 0} (0 at exactly 0), the activation of the classic
 * perceptron. It is <em>not differentiable</em>: its derivative is 0 almost everywhere and
 * undefined at 0, so a backward pass that reaches it throws an exception saying so instead of
 * silently producing zero gradients. Use it with hand-set weights (logic gates) or for inference;
 * train with {@link Sigmoid}.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Step extends Module {
    @Override
    public Variable forward(Variable x) {
        return Functional.step(x);
    }
}
