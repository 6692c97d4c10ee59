package dev.nabla.examples.rnn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import java.util.Random;

/**
 * A causal depthwise convolution over time (the "token shift" of RWKV, the depthwise convolution
 * of Primer, So et al. 2021), here on the input of a {@link CharTransformer}:
 * {@code y[t] = x[t] + Σ_{j=1..k-1} w[j-1] ⊙ x[t-j]} for {@code x (N, T, E)}, with {@code x[t-j] = 0}
 * before the window. It hands the first layer the previous characters of every position (n-gram
 * features) at the cost of a few elementwise passes, which attention would otherwise have to learn
 * to fetch. The weight {@code (k-1, E)} is drawn N(0, 0.1²) from the caller's generator.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
final class CausalShift extends Module {
    private final Parameter weight;

    /** Mixes each position with its {@code taps} predecessors, channel by channel, for width {@code dModel}. */
    CausalShift(int taps, int dModel, Random rng) {
        if (taps < 1 || dModel < 1) {
            throw new IllegalArgumentException("CausalShift: taps and d_model must be positive, got " + taps + " and "
                    + dModel);
        }
        this.weight = registerParameter("weight", new Parameter(NDArray.randn(rng, taps, dModel).mul(0.1)));
    }

    @Override
    public Variable forward(Variable x) {
        int t = x.shape(1);
        Variable y = x;
        for (int j = 1; j <= weight.shape(0); j++) {
            if (j >= t) {
                break;
            }
            Variable shifted = x.slice(1, 0, t - j).pad(0, 0, j, 0); // x[t - j], zeros before the window
            y = y.add(shifted.mul(weight.slice(0, j - 1, j)));
        }
        return y;
    }
}
