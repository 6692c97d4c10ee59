package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * A stack of {@link LSTMCell}s unrolled over a sequence, as PyTorch's {@code nn.LSTM}: input
 * {@code (T, N, inputSize)} (or {@code (N, T, inputSize)} batch-first), output the top layer's
 * hidden states {@code (T, N, H)} and the final hidden and cell states {@code (numLayers, N, H)}.
 * Parameters are named {@code l0.weightIh}, {@code l0.weightHh}, {@code l0.biasIh},
 * {@code l0.biasHh}, {@code l1.…} (layouts and gate order in {@link LSTMCell}).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class LSTM extends RNNBase {
    private final LSTMCell[] cells;

    /** One layer with biases, time-first. */
    public LSTM(int inputSize, int hiddenSize, Random rng) {
        this(inputSize, hiddenSize, RNNOptions.defaults(), rng);
    }

    /** Layers configured by {@code options}, initialised layer by layer from {@code rng}. */
    public LSTM(int inputSize, int hiddenSize, RNNOptions options, Random rng) {
        super("LSTM", inputSize, hiddenSize, options, "h0", "c0");
        this.cells = new LSTMCell[numLayers()];
        for (int l = 0; l < cells.length; l++) {
            cells[l] = registerModule("l" + l, new LSTMCell(layerInputSize(l), hiddenSize, options.bias(), rng));
        }
    }

    /** Runs from zero states; returns the output sequence only. */
    @Override
    public Variable forward(Variable x) {
        return forward(x, null, null).output();
    }

    /** Runs from {@code state} (both (numLayers, N, H); null, or null entries, mean zeros). */
    public LSTMOutput forward(Variable x, LSTMState state) {
        return state == null ? forward(x, null, null) : forward(x, state.h(), state.c());
    }

    /** Runs from {@code h0} and {@code c0}, each (numLayers, N, H) or null for zeros. */
    public LSTMOutput forward(Variable x, Variable h0, Variable c0) {
        Variable[] r = run(x, h0, c0);
        return new LSTMOutput(r[0], r[1], r[2]);
    }

    /** The cell of layer {@code l}. */
    public LSTMCell cell(int l) {
        return cells[l];
    }

    @Override
    Variable[] layerWeights(int l) {
        return cells[l].weights();
    }

    @Override
    Variable[] step(Variable x, Variable[] state, Variable[] w) {
        LSTMState s = LSTMCell.step(x, state[0], state[1], w[0], w[1], w[2], w[3]);
        return new Variable[] {s.h(), s.c()};
    }
}
