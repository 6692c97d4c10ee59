package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * A stack of Elman {@link RNNCell}s unrolled over a sequence, as PyTorch's {@code nn.RNN}: input
 * {@code (T, N, inputSize)} (or {@code (N, T, inputSize)} batch-first), output the top layer's
 * states {@code (T, N, H)} and the final states {@code (numLayers, N, H)}. Layer l's cell is the
 * submodule {@code l<l>}, so parameters are named {@code l0.weightIh}, {@code l0.weightHh},
 * {@code l0.biasIh}, {@code l0.biasHh}, {@code l1.weightIh}, ... (layouts in {@link RNNCell}).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class RNN extends RNNBase {
    private final RNNCell[] cells;
    private final RNNCell.Nonlinearity nonlinearity;

    /** One tanh layer with biases, time-first. */
    public RNN(int inputSize, int hiddenSize, Random rng) {
        this(inputSize, hiddenSize, RNNCell.Nonlinearity.TANH, RNNOptions.defaults(), rng);
    }

    /** Tanh layers configured by {@code options}. */
    public RNN(int inputSize, int hiddenSize, RNNOptions options, Random rng) {
        this(inputSize, hiddenSize, RNNCell.Nonlinearity.TANH, options, rng);
    }

    /** Layers with the given activation, configured by {@code options}; initialised layer by layer from {@code rng}. */
    public RNN(int inputSize, int hiddenSize, RNNCell.Nonlinearity nonlinearity, RNNOptions options, Random rng) {
        super("RNN", inputSize, hiddenSize, options, "h0");
        this.nonlinearity = nonlinearity;
        this.cells = new RNNCell[numLayers()];
        for (int l = 0; l < cells.length; l++) {
            cells[l] = registerModule("l" + l,
                    new RNNCell(layerInputSize(l), hiddenSize, nonlinearity, options.bias(), rng));
        }
    }

    /** Runs from zero states; returns the output sequence only. */
    @Override
    public Variable forward(Variable x) {
        return forward(x, null).output();
    }

    /** Runs from {@code h0} of shape (numLayers, N, H) (null means zeros). */
    public RNNOutput forward(Variable x, Variable h0) {
        Variable[] r = run(x, h0);
        return new RNNOutput(r[0], r[1]);
    }

    /** The cell of layer {@code l}. */
    public RNNCell cell(int l) {
        return cells[l];
    }

    /** The activation of every layer. */
    public RNNCell.Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    @Override
    Variable[] layerWeights(int l) {
        return cells[l].weights();
    }

    @Override
    Variable[] step(Variable x, Variable[] state, Variable[] w) {
        return new Variable[] {RNNCell.step(x, state[0], w[0], w[1], w[2], w[3], nonlinearity)};
    }
}
