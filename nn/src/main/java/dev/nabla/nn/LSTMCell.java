package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * One step of a long short-term memory cell, as PyTorch's {@code nn.LSTMCell}:
 * <pre>
 *   i = σ(x W_iiᵀ + b_ii + h W_hiᵀ + b_hi)      input gate
 *   f = σ(x W_ifᵀ + b_if + h W_hfᵀ + b_hf)      forget gate
 *   g = tanh(x W_igᵀ + b_ig + h W_hgᵀ + b_hg)   cell candidate
 *   o = σ(x W_ioᵀ + b_io + h W_hoᵀ + b_ho)      output gate
 *   c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')
 * </pre>
 * Parameters in PyTorch's names and layout: {@code weight_ih} is {@code (4H, inputSize)} and
 * {@code weight_hh} is {@code (4H, H)}, their row blocks in PyTorch's gate order [i; f; g; o], so
 * that the four pre-activations are {@code x weight_ihᵀ + bias_ih + h weight_hhᵀ + bias_hh};
 * biases are {@code (4H,)}. Every parameter starts from U(−1/√H, 1/√H), drawn in that order from
 * the caller's generator.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class LSTMCell extends RecurrentCell {

    /** A cell with biases. */
    public LSTMCell(int inputSize, int hiddenSize, Random rng) {
        this(inputSize, hiddenSize, true, rng);
    }

    /** A cell with or without the two bias vectors. */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias, Random rng) {
        super("LSTMCell", inputSize, hiddenSize, 4, bias, rng);
    }

    /** One step from zero states; returns only {@code h'}. */
    @Override
    public Variable forward(Variable x) {
        return forward(x, null).h();
    }

    /** One step from {@code state} (null means zeros); returns {@code (h', c')}. */
    public LSTMState forward(Variable x, LSTMState state) {
        int n = x.ndim() == 2 ? x.shape(0) : 1;
        Variable h = state != null && state.h() != null ? state.h() : RNNSupport.zeros(x, n, hiddenSize());
        Variable c = state != null && state.c() != null ? state.c() : RNNSupport.zeros(x, n, hiddenSize());
        return step(x, h, c, weightIh(), weightHh(), biasIh(), biasHh());
    }

    /** The functional form of one step with explicit weights (biases may be null); see the class comment. */
    static LSTMState step(Variable x, Variable h, Variable c, Variable wIh, Variable wHh, Variable bIh,
                                 Variable bHh) {
        RNNSupport.checkStep("LSTMCell", 4, x, new Variable[] {h, c}, new String[] {"hidden state", "cell state"},
                wIh, wHh, bIh, bHh);
        int hs = h.shape(1);
        Variable gates = RNNSupport.affine(x, h, wIh, wHh, bIh, bHh);
        Variable i = gates.slice(1, 0, hs).sigmoid();
        Variable f = gates.slice(1, hs, 2 * hs).sigmoid();
        Variable g = gates.slice(1, 2 * hs, 3 * hs).tanh();
        Variable o = gates.slice(1, 3 * hs, 4 * hs).sigmoid();
        Variable c2 = f.mul(c).add(i.mul(g));
        Variable h2 = o.mul(c2.tanh());
        return new LSTMState(h2, c2);
    }
}
