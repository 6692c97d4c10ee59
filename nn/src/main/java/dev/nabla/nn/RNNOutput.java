package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * What {@link RNN} and {@link GRU} return: the last layer's hidden state at every step and every
 * layer's final hidden state.
 *
 * @param output the top layer's states, {@code (T, N, D·H)} or {@code (N, T, D·H)} when batch-first
 * @param h      the final hidden state of each layer and direction, {@code (D·numLayers, N, H)}
 * Shallowly immutable (a record): safe to share as a holder, but the
 * {@link dev.nabla.autograd.Variable}s it holds follow Variable's rules.
 */
public record RNNOutput(Variable output, Variable h) {}
