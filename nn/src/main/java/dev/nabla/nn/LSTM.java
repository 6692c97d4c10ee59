package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * Stacked LSTM layers unrolled over a sequence, as PyTorch's {@code nn.LSTM}: input
 * {@code (T, N, inputSize)} (or {@code (N, T, inputSize)} batch-first), output the top layer's
 * hidden states {@code (T, N, D·H)} and the final hidden and cell states {@code (D·numLayers, N, H)}.
 * Parameters are PyTorch's: {@code weight_ih_l0} {@code (4H, inputSize)}, {@code weight_hh_l0}
 * {@code (4H, H)}, {@code bias_ih_l0}, {@code bias_hh_l0} {@code (4H,)}, {@code weight_ih_l1} ...
 * with the gate blocks in PyTorch's order i, f, g, o (see {@link RNNBase}); each step is
 * {@link Functional#lstmCell}.
 * D is 2 with {@link RNNOptions#bidirectional(boolean)} (reverse parameters {@code weight_ih_l0_reverse}, ...;
 * forward output in {@code [..., :H]}, reverse in {@code [..., H:]}), else 1; see {@link RNNBase} for
 * the state layout and the dropout between layers.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class LSTM extends RNNBase {

    /** One layer with biases, time-first. */
    public LSTM(int inputSize, int hiddenSize, Random rng) {
        this(inputSize, hiddenSize, RNNOptions.defaults(), rng);
    }

    /** Layers configured by {@code options}, initialised layer by layer from {@code rng}. */
    public LSTM(int inputSize, int hiddenSize, RNNOptions options, Random rng) {
        super("LSTM", 4, inputSize, hiddenSize, options, rng, "h0", "c0");
    }

    /** Runs from zero states; returns the output sequence only. */
    @Override
    public Variable forward(Variable x) {
        return forward(x, null, null).output();
    }

    /** Runs from {@code state} (both (D·numLayers, N, H); null, or null entries, mean zeros). */
    public LSTMOutput forward(Variable x, LSTMState state) {
        return state == null ? forward(x, null, null) : forward(x, state.h(), state.c());
    }

    /** Runs from {@code h0} and {@code c0}, each (D·numLayers, N, H) or null for zeros. */
    public LSTMOutput forward(Variable x, Variable h0, Variable c0) {
        Variable[] r = run(x, h0, c0);
        return new LSTMOutput(r[0], r[1], r[2]);
    }

    @Override
    Variable[] step(Variable x, Variable[] state, Variable[] w) {
        LSTMState s = Functional.lstmCell(x, state[0], state[1], w[0], w[1], w[2], w[3]);
        return new Variable[] {s.h(), s.c()};
    }
}
