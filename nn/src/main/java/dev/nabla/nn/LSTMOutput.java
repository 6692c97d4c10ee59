package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * What {@link LSTM} returns: the top layer's hidden state at every step and every layer's final
 * hidden and cell states.
 *
 * @param output the top layer's hidden states, {@code (T, N, D·H)} or {@code (N, T, D·H)} when batch-first
 * @param h      the final hidden state of each layer and direction, {@code (D·numLayers, N, H)}
 * @param c      the final cell state of each layer and direction, {@code (D·numLayers, N, H)}
 * Shallowly immutable (a record): safe to share as a holder, but the
 * {@link dev.nabla.autograd.Variable}s it holds follow Variable's rules.
 */
public record LSTMOutput(Variable output, Variable h, Variable c) {

    /** The final states, to pass as the initial state of the next chunk. */
    public LSTMState state() {
        return new LSTMState(h, c);
    }
}
