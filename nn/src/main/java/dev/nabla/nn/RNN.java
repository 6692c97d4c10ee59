package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * Stacked Elman layers unrolled over a sequence, as PyTorch's {@code nn.RNN}: input
 * {@code (T, N, inputSize)} (or {@code (N, T, inputSize)} batch-first), output the top layer's
 * states {@code (T, N, D·H)} and the final states {@code (D·numLayers, N, H)}. Parameters are
 * PyTorch's: {@code weight_ih_l0} {@code (H, inputSize)}, {@code weight_hh_l0} {@code (H, H)},
 * {@code bias_ih_l0}, {@code bias_hh_l0} {@code (H,)}, {@code weight_ih_l1} {@code (H, D·H)}, ...
 * (see {@link RNNBase}); each step is {@link Functional#rnnCell}.
 * D is 2 with {@link RNNOptions#bidirectional(boolean)} (reverse parameters {@code weight_ih_l0_reverse}, ...;
 * forward output in {@code [..., :H]}, reverse in {@code [..., H:]}), else 1; see {@link RNNBase} for
 * the state layout and the dropout between layers.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class RNN extends RNNBase {
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
        super("RNN", 1, inputSize, hiddenSize, options, rng, "h0");
        if (nonlinearity == null) {
            throw new IllegalArgumentException("RNN: nonlinearity must be TANH or RELU, got null");
        }
        this.nonlinearity = nonlinearity;
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

    /** The activation of every layer. */
    public RNNCell.Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    /** Every layer and direction runs as one {@link RNNLayerNode} when the inputs allow it. */
    @Override
    RNNCell.Nonlinearity fusedActivation() {
        return nonlinearity;
    }

    @Override
    Variable[] step(Variable x, Variable[] state, Variable[] w) {
        return new Variable[] {Functional.rnnCell(x, state[0], w[0], w[1], w[2], w[3], nonlinearity)};
    }

    @Override
    protected String extraRepr() {
        return nonlinearity == RNNCell.Nonlinearity.RELU ? super.extraRepr() + ", nonlinearity=relu" : super.extraRepr();
    }
}
