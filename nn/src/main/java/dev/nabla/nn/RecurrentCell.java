package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * What the RNN, LSTM and GRU cells share: the sizes and the four parameters in PyTorch's names and
 * layouts ({@code torch.nn.RNNCell}, {@code LSTMCell}, {@code GRUCell}): {@code weight_ih}
 * {@code (G·H, inputSize)}, {@code weight_hh} {@code (G·H, H)}, and optional biases
 * {@code bias_ih}, {@code bias_hh} {@code (G·H,)}, where G is the number of gate blocks (1, 4 or
 * 3) stacked row-wise in PyTorch's gate order. Every parameter starts from U(−1/√H, 1/√H) as in
 * PyTorch, drawn in that order (each row-major) from the caller's generator, and is registered
 * under those names in that order, so a PyTorch cell's state dict loads unchanged.
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
        this.weightIh = registerParameter("weight_ih", RNNSupport.uniformInit(rng, hiddenSize, g, inputSize));
        this.weightHh = registerParameter("weight_hh", RNNSupport.uniformInit(rng, hiddenSize, g, hiddenSize));
        this.biasIh = bias ? registerParameter("bias_ih", RNNSupport.uniformInit(rng, hiddenSize, g)) : null;
        this.biasHh = bias ? registerParameter("bias_hh", RNNSupport.uniformInit(rng, hiddenSize, g)) : null;
    }

    /** Input-to-hidden weight {@code weight_ih}, (G·H, inputSize), gate blocks stacked row-wise. */
    public final Parameter weightIh() {
        return weightIh;
    }

    /** Hidden-to-hidden weight {@code weight_hh}, (G·H, H), gate blocks stacked row-wise. */
    public final Parameter weightHh() {
        return weightHh;
    }

    /** Input bias {@code bias_ih} (G·H,), or null without biases. */
    public final Parameter biasIh() {
        return biasIh;
    }

    /** Hidden bias {@code bias_hh} (G·H,), or null without biases. */
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

    /** PyTorch's {@code extra_repr}: the sizes, and {@code bias=False} without biases. */
    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=False" : "");
    }
}
