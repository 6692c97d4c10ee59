package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * The two states an LSTM carries, hidden {@code h} and cell {@code c}. For a cell both are
 * {@code (N, hiddenSize)}; for a layer both are {@code (D·numLayers, N, hiddenSize)} (D = 2 when bidirectional).
 *
 * @param h hidden state (the output)
 * @param c cell state (the memory)
 * Shallowly immutable (a record): safe to share as a holder, but the
 * {@link dev.nabla.autograd.Variable}s it holds follow Variable's rules.
 */
public record LSTMState(Variable h, Variable c) {

    /** Both states cut from the graph (constants sharing the values), for truncated backpropagation through time. */
    public LSTMState detach() {
        return new LSTMState(h.detach(), c.detach());
    }
}
