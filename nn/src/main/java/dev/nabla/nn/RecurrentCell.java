package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * What the RNN, LSTM and GRU cells share: the sizes and the four parameters {@code weightIh}
 * {@code (inputSize, G·H)}, {@code weightHh} {@code (H, G·H)}, and optional biases {@code biasIh},
 * {@code biasHh} {@code (G·H,)}, where G is the number of gate blocks (1, 4 or 3). Every parameter
 * starts from U(−1/√H, 1/√H) as in PyTorch, drawn in that order from the caller's generator, and
 * is registered under those names in that order.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public abstract class RecurrentCell extends Module {
    private final int inputSize;
    private final int hiddenSize;
    private final Parameter weightIh;
    private final Parameter weightHh;
    private final Parameter biasIh;
    private final Parameter biasHh;

    RecurrentCell(String name, int inputSize, int hiddenSize, int gates, boolean bias, Random rng) {
        RNNSupport.checkSizes(name, inputSize, hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        int g = gates * hiddenSize;
        this.weightIh = registerParameter("weightIh", RNNSupport.uniformInit(rng, hiddenSize, inputSize, g));
        this.weightHh = registerParameter("weightHh", RNNSupport.uniformInit(rng, hiddenSize, hiddenSize, g));
        this.biasIh = bias ? registerParameter("biasIh", RNNSupport.uniformInit(rng, hiddenSize, g)) : null;
        this.biasHh = bias ? registerParameter("biasHh", RNNSupport.uniformInit(rng, hiddenSize, g)) : null;
    }

    /** Input-to-hidden weight, (inputSize, G·H), gate blocks side by side. */
    public final Parameter weightIh() {
        return weightIh;
    }

    /** Hidden-to-hidden weight, (H, G·H), gate blocks side by side. */
    public final Parameter weightHh() {
        return weightHh;
    }

    /** Input bias (G·H,), or null without biases. */
    public final Parameter biasIh() {
        return biasIh;
    }

    /** Hidden bias (G·H,), or null without biases. */
    public final Parameter biasHh() {
        return biasHh;
    }

    /** The four parameters in step order {@code (weightIh, weightHh, biasIh, biasHh)}; biases may be null. */
    final Variable[] weights() {
        return new Variable[] {weightIh, weightHh, biasIh, biasHh};
    }

    /** Features per input row. */
    public final int inputSize() {
        return inputSize;
    }

    /** Size of the hidden state. */
    public final int hiddenSize() {
        return hiddenSize;
    }
}
