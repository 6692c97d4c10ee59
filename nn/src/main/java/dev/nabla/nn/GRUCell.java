package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * One step of a gated recurrent unit in PyTorch's formulation ({@code nn.GRUCell}), where the
 * reset gate multiplies the hidden projection including its bias:
 * <pre>
 *   r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr)             reset gate
 *   z = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)             update gate
 *   n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))    candidate
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Parameters in PyTorch's names and layout: {@code weight_ih} is {@code (3H, inputSize)} and
 * {@code weight_hh} is {@code (3H, H)}, row blocks in PyTorch's order [r; z; n]; biases are
 * {@code (3H,)}. The two
 * biases are not redundant here, since only {@code b_hn} sits inside the reset product. Every
 * parameter starts from U(−1/√H, 1/√H), drawn in that order from the caller's generator.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class GRUCell extends RecurrentCell {

    /** A cell with biases. */
    public GRUCell(int inputSize, int hiddenSize, Random rng) {
        this(inputSize, hiddenSize, true, rng);
    }

    /** A cell with or without the two bias vectors. */
    public GRUCell(int inputSize, int hiddenSize, boolean bias, Random rng) {
        super("GRUCell", inputSize, hiddenSize, 3, bias, rng);
    }

    /** One step from a zero state: returns {@code h'} of shape (N, hiddenSize). */
    @Override
    public Variable forward(Variable x) {
        return forward(x, null);
    }

    /** One step from state {@code h} (null means zeros): returns {@code h'}. */
    public Variable forward(Variable x, Variable h) {
        Variable h0 = h != null ? h : RNNSupport.zeros(x, x.ndim() == 2 ? x.shape(0) : 1, hiddenSize());
        return step(x, h0, weightIh(), weightHh(), biasIh(), biasHh());
    }

    /** The functional form of one step with explicit weights (biases may be null); see the class comment. */
    static Variable step(Variable x, Variable h, Variable wIh, Variable wHh, Variable bIh, Variable bHh) {
        RNNSupport.checkStep("GRUCell", 3, x, new Variable[] {h}, new String[] {"hidden state"}, wIh, wHh, bIh, bHh);
        int hs = h.shape(1);
        Variable gi = Functional.linear(x, wIh, bIh);
        Variable gh = Functional.linear(h, wHh, bHh);
        Variable r = gi.slice(1, 0, hs).add(gh.slice(1, 0, hs)).sigmoid();
        Variable z = gi.slice(1, hs, 2 * hs).add(gh.slice(1, hs, 2 * hs)).sigmoid();
        Variable n = gi.slice(1, 2 * hs, 3 * hs).add(r.mul(gh.slice(1, 2 * hs, 3 * hs))).tanh();
        // (1 - z) n + z h, written as n + z (h - n) to save one operation
        return n.add(z.mul(h.sub(n)));
    }
}
