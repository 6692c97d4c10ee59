package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * A stack of {@link GRUCell}s unrolled over a sequence, as PyTorch's {@code nn.GRU}: input
 * {@code (T, N, inputSize)} (or {@code (N, T, inputSize)} batch-first), output the top layer's
 * states {@code (T, N, H)} and the final states {@code (numLayers, N, H)}. Parameters are named
 * {@code l0.weightIh}, {@code l0.weightHh}, {@code l0.biasIh}, {@code l0.biasHh}, {@code l1.…}
 * (layouts in {@link GRUCell}).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class GRU extends RNNBase {
    private final GRUCell[] cells;

    /** One layer with biases, time-first. */
    public GRU(int inputSize, int hiddenSize, Random rng) {
        this(inputSize, hiddenSize, RNNOptions.defaults(), rng);
    }

    /** Layers configured by {@code options}, initialised layer by layer from {@code rng}. */
    public GRU(int inputSize, int hiddenSize, RNNOptions options, Random rng) {
        super("GRU", inputSize, hiddenSize, options, "h0");
        this.cells = new GRUCell[numLayers()];
        for (int l = 0; l < cells.length; l++) {
            cells[l] = registerModule("l" + l, new GRUCell(layerInputSize(l), hiddenSize, options.bias(), rng));
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
    public GRUCell cell(int l) {
        return cells[l];
    }

    @Override
    Variable[] layerWeights(int l) {
        return cells[l].weights();
    }

    @Override
    Variable[] step(Variable x, Variable[] state, Variable[] w) {
        return new Variable[] {GRUCell.step(x, state[0], w[0], w[1], w[2], w[3])};
    }
}
