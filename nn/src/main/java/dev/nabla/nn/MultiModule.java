package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * A module whose input or output is not one Variable (PyTorch's {@code forward(self, a, b)}
 * returning a tuple): it implements {@link Layer#apply} on a record, e.g.
 * <pre>{@code
 * record In(Variable x, Variable h) {}
 * record Out(Variable y, Variable h) {}
 * final class Cell extends MultiModule<In, Out> {
 *     public Out apply(In in) { ... }
 * }
 * }</pre>
 * Parameters, submodules, state dicts, freezing and train/eval work as for every {@link Module};
 * the single-Variable {@link #forward} and {@link #call} (and so the forward hooks and
 * {@link #summary}, which observe Variables) do not apply: it is refused with a message.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public abstract class MultiModule<I, O> extends Module implements Layer<I, O> {

    /** Computes the output for {@code input} (this module's forward). */
    @Override
    public abstract O apply(I input);

    /** Always fails: this module takes a {@code I}, not one Variable; use {@link #apply}. */
    @Override
    public final Variable forward(Variable x) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " takes several inputs or returns several "
                + "outputs: call apply(input) with its input record instead of forward/call with one Variable");
    }
}
