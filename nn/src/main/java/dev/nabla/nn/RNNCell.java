package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * One step of an Elman recurrent network, {@code h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)} with
 * {@code act} tanh (default) or ReLU, as PyTorch's {@code nn.RNNCell}.
 *
 * <p>Parameters in PyTorch's names and layout: {@code weight_ih} is {@code (hiddenSize, inputSize)},
 * {@code weight_hh} is {@code (hiddenSize, hiddenSize)}, {@code bias_ih} and {@code bias_hh} are
 * {@code (hiddenSize,)}.
 * Every parameter starts from U(−1/√H, 1/√H), drawn in that order from the caller's generator.
 * Inputs are {@code (N, inputSize)}, states {@code (N, hiddenSize)}.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class RNNCell extends RecurrentCell {
    /**
     * The activation of an Elman cell.
     * Immutable and thread-safe (an enum).
     */
    public enum Nonlinearity {
        /** {@code tanh}, the classic choice and PyTorch's default. */
        TANH,
        /** {@code max(0, ·)}. */
        RELU
    }

    private final Nonlinearity nonlinearity;

    /** A tanh cell with biases. */
    public RNNCell(int inputSize, int hiddenSize, Random rng) {
        this(inputSize, hiddenSize, Nonlinearity.TANH, true, rng);
    }

    /** A cell with the given activation, with or without the two bias vectors. */
    public RNNCell(int inputSize, int hiddenSize, Nonlinearity nonlinearity, boolean bias, Random rng) {
        super("RNNCell", inputSize, hiddenSize, 1, bias, rng);
        if (nonlinearity == null) {
            throw new IllegalArgumentException("RNNCell: nonlinearity must be TANH or RELU, got null");
        }
        this.nonlinearity = nonlinearity;
    }

    /** One step from a zero state: returns {@code h'} of shape (N, hiddenSize). */
    @Override
    public Variable forward(Variable x) {
        return forward(x, null);
    }

    /** One step from state {@code h} (null means zeros): returns {@code h'}. */
    public Variable forward(Variable x, Variable h) {
        Variable h0 = h != null ? h : RNNSupport.zeros(x, x.ndim() == 2 ? x.shape(0) : 1, hiddenSize());
        return step(x, h0, weightIh(), weightHh(), biasIh(), biasHh(), nonlinearity);
    }

    /**
     * The functional form of one step with explicit weights (biases may be null):
     * {@code act(x wIhᵀ + bIh + h wHhᵀ + bHh)}, weights in PyTorch's layout {@code (H, inputSize)} and
     * {@code (H, H)}. Layers and gradient checks call it directly.
     */
    static Variable step(Variable x, Variable h, Variable wIh, Variable wHh, Variable bIh, Variable bHh,
                                Nonlinearity nonlinearity) {
        RNNSupport.checkStep("RNNCell", 1, x, new Variable[] {h}, new String[] {"hidden state"}, wIh, wHh, bIh, bHh);
        Variable pre = RNNSupport.affine(x, h, wIh, wHh, bIh, bHh);
        return nonlinearity == Nonlinearity.RELU ? pre.relu() : pre.tanh();
    }

    /** The activation. */
    public Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    @Override
    protected String extraRepr() {
        return nonlinearity == Nonlinearity.RELU ? super.extraRepr() + ", nonlinearity=relu" : super.extraRepr();
    }
}
