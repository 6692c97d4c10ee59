package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * Stacked GRU layers unrolled over a sequence, as PyTorch's {@code nn.GRU}: input
 * {@code (T, N, inputSize)} (or {@code (N, T, inputSize)} batch-first), output the top layer's
 * states {@code (T, N, D·H)} and the final states {@code (D·numLayers, N, H)}. Parameters are
 * PyTorch's: {@code weight_ih_l0} {@code (3H, inputSize)}, {@code weight_hh_l0} {@code (3H, H)},
 * {@code bias_ih_l0}, {@code bias_hh_l0} {@code (3H,)}, {@code weight_ih_l1} ... with the gate
 * blocks in PyTorch's order r, z, n and PyTorch's candidate
 * {@code n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))} (see {@link Functional#gruCell}).
 * D is 2 with {@link RNNOptions#bidirectional(boolean)} (reverse parameters {@code weight_ih_l0_reverse}, ...;
 * forward output in {@code [..., :H]}, reverse in {@code [..., H:]}), else 1; see {@link RNNBase} for
 * the state layout and the dropout between layers.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class GRU extends RNNBase {

    /** One layer with biases, time-first. */
    public GRU(int inputSize, int hiddenSize, Random rng) {
        this(inputSize, hiddenSize, RNNOptions.defaults(), rng);
    }

    /** Layers configured by {@code options}, initialised layer by layer from {@code rng}. */
    public GRU(int inputSize, int hiddenSize, RNNOptions options, Random rng) {
        super("GRU", 3, inputSize, hiddenSize, options, rng, "h0");
    }

    /** Runs from zero states; returns the output sequence only. */
    @Override
    public Variable forward(Variable x) {
        return forward(x, null).output();
    }

    /** Runs from {@code h0} of shape (D·numLayers, N, H) (null means zeros). */
    public RNNOutput forward(Variable x, Variable h0) {
        Variable[] r = run(x, h0);
        return new RNNOutput(r[0], r[1]);
    }

    @Override
    Variable[] step(Variable x, Variable[] state, Variable[] w) {
        return new Variable[] {Functional.gruCell(x, state[0], w[0], w[1], w[2], w[3])};
    }
}
