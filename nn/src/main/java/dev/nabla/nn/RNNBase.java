package dev.nabla.nn;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.Shapes;
import java.util.Random;

/**
 * The parameters and the unrolling shared by {@link RNN}, {@link LSTM} and {@link GRU}. The
 * parameters are registered on this module itself with PyTorch's names, shapes and order, so a
 * PyTorch {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} state dict loads unchanged: for each
 * layer k, {@code weight_ih_l<k>} {@code (G·H, input_k)} (input_0 = inputSize, above it H),
 * {@code weight_hh_l<k>} {@code (G·H, H)}, then (with bias) {@code bias_ih_l<k>} and
 * {@code bias_hh_l<k>} {@code (G·H,)}, G gate blocks stacked row-wise in PyTorch's gate order (see
 * the cells). Every one starts from U(−1/√H, 1/√H) as in PyTorch, drawn in that order, each
 * row-major, from the generator given to the constructor.
 *
 * <p>The forward checks the input, slices it into time steps, runs each layer's cell step over the
 * steps (layer l &gt; 0 reading the hidden sequence of layer l − 1), and stacks the top layer's
 * states and every layer's final states. The
 * graph is built from the cells' primitive operations, so backpropagation through time is plain
 * backward; cut it with {@link Variable#detach()} or {@link Variable#unchainBackward()} on the
 * carried state for truncated BPTT.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public abstract class RNNBase extends Module {
    private final String op;
    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;
    private final String[] stateNames;
    /** Per layer: {weight_ih, weight_hh, bias_ih, bias_hh}, biases null without bias. */
    private final Parameter[][] weights;

    RNNBase(String op, int gates, int inputSize, int hiddenSize, RNNOptions options, Random rng, String... stateNames) {
        RNNSupport.checkSizes(op, inputSize, hiddenSize);
        if (options == null) {
            throw new IllegalArgumentException(op + ": options must not be null; use RNNOptions.defaults()");
        }
        this.op = op;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = options.numLayers();
        this.bias = options.bias();
        this.batchFirst = options.batchFirst();
        this.stateNames = stateNames;
        this.weights = new Parameter[numLayers][];
        int g = gates * hiddenSize;
        for (int l = 0; l < numLayers; l++) {
            Parameter wIh = registerParameter("weight_ih_l" + l, RNNSupport.uniformInit(rng, hiddenSize, g, layerInputSize(l)));
            Parameter wHh = registerParameter("weight_hh_l" + l, RNNSupport.uniformInit(rng, hiddenSize, g, hiddenSize));
            Parameter bIh = bias ? registerParameter("bias_ih_l" + l, RNNSupport.uniformInit(rng, hiddenSize, g)) : null;
            Parameter bHh = bias ? registerParameter("bias_hh_l" + l, RNNSupport.uniformInit(rng, hiddenSize, g)) : null;
            weights[l] = new Parameter[] {wIh, wHh, bIh, bHh};
        }
    }

    /** The parameters of one layer in step order: {weight_ih, weight_hh, bias_ih, bias_hh} (biases null without bias). */
    final Variable[] layerWeights(int layer) {
        return weights[checkLayer(layer)].clone();
    }

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= numLayers) {
            throw new IndexOutOfBoundsException(op + ": layer " + layer + " is out of range for numLayers=" + numLayers);
        }
        return layer;
    }

    /** {@code weight_ih_l<layer>}, of shape {@code (G·H, input size of that layer)}. */
    public final Parameter weightIh(int layer) {
        return weights[checkLayer(layer)][0];
    }

    /** {@code weight_hh_l<layer>}, of shape {@code (G·H, H)}. */
    public final Parameter weightHh(int layer) {
        return weights[checkLayer(layer)][1];
    }

    /** {@code bias_ih_l<layer>}, of shape {@code (G·H,)}, or null without biases. */
    public final Parameter biasIh(int layer) {
        return weights[checkLayer(layer)][2];
    }

    /** {@code bias_hh_l<layer>}, of shape {@code (G·H,)}, or null without biases. */
    public final Parameter biasHh(int layer) {
        return weights[checkLayer(layer)][3];
    }

    /** One step of this layer type's cell with explicit weights; returns the new states. */
    abstract Variable[] step(Variable x, Variable[] state, Variable[] weights);

    /**
     * Runs the recurrence with this module's parameters. {@code initial} holds one entry per state
     * kind (null entries mean zeros); returns {output, final state 0, final state 1, ...}.
     */
    final Variable[] run(Variable x, Variable... initial) {
        Variable[][] w = new Variable[numLayers][];
        for (int l = 0; l < numLayers; l++) {
            w[l] = layerWeights(l);
        }
        return run(x, initial, w);
    }

    /** Runs the recurrence with explicit per-layer weights (the functional form used by gradient checks). */
    final Variable[] run(Variable x, Variable[] initial, Variable[][] weights) {
        checkInput(x);
        int t = x.shape(batchFirst ? 1 : 0);
        int n = x.shape(batchFirst ? 0 : 1);
        int k = stateNames.length;
        Variable[] seq = new Variable[t];
        for (int i = 0; i < t; i++) {
            seq[i] = batchFirst ? x.getItem(Index.all(), Index.at(i)) : x.getItem(Index.at(i));
        }
        Variable[][] finals = new Variable[k][numLayers];
        for (int l = 0; l < numLayers; l++) {
            Variable[] state = new Variable[k];
            for (int s = 0; s < k; s++) {
                Variable init = initial == null || s >= initial.length ? null : initial[s];
                if (init == null) {
                    state[s] = RNNSupport.zeros(x, n, hiddenSize);
                } else {
                    checkState(stateNames[s], init, n);
                    state[s] = numLayers == 1 ? init.reshape(n, hiddenSize) : init.getItem(Index.at(l));
                }
            }
            Variable[] out = new Variable[t];
            for (int i = 0; i < t; i++) {
                state = step(seq[i], state, weights[l]);
                out[i] = state[0];
            }
            for (int s = 0; s < k; s++) {
                finals[s][l] = state[s];
            }
            seq = out;
        }
        Variable[] result = new Variable[k + 1];
        result[0] = F.stack(batchFirst ? 1 : 0, seq);
        for (int s = 0; s < k; s++) {
            result[s + 1] = numLayers == 1 ? finals[s][0].unsqueeze(0) : F.stack(0, finals[s]);
        }
        return result;
    }

    private String layout() {
        return batchFirst ? "(N, T, inputSize=" + inputSize + ") (batchFirst=true)"
                : "(T, N, inputSize=" + inputSize + ") (batchFirst=false)";
    }

    private void checkInput(Variable x) {
        if (x.ndim() != 3) {
            throw new IllegalArgumentException(op + ": expected a 3-D input of shape " + layout() + " but got shape "
                    + Shapes.str(x.shape()) + (x.ndim() == 2 ? "; for one unbatched sequence use x.unsqueeze("
                    + (batchFirst ? 0 : 1) + ")" : ""));
        }
        if (x.shape(2) != inputSize) {
            throw new IllegalArgumentException(op + ": expected input of shape " + layout() + " but got "
                    + Shapes.str(x.shape()) + ": its last dimension must equal inputSize=" + inputSize);
        }
        if (x.shape(0) == 0 || x.shape(1) == 0) {
            throw new IllegalArgumentException(op + ": expected a non-empty sequence and batch, got input of shape "
                    + Shapes.str(x.shape()));
        }
    }

    private void checkState(String name, Variable s, int n) {
        if (s.ndim() != 3 || s.shape(0) != numLayers || s.shape(1) != n || s.shape(2) != hiddenSize) {
            throw new IllegalArgumentException(op + ": expected " + name + " of shape (numLayers=" + numLayers + ", N="
                    + n + ", hiddenSize=" + hiddenSize + ") but got " + Shapes.str(s.shape()));
        }
    }

    /** Features per input step. */
    public final int inputSize() {
        return inputSize;
    }

    /** Size of every layer's hidden state. */
    public final int hiddenSize() {
        return hiddenSize;
    }

    /** Number of stacked layers. */
    public final int numLayers() {
        return numLayers;
    }

    /** Whether the cells have biases. */
    public final boolean hasBias() {
        return bias;
    }

    /** Whether inputs and outputs are {@code (N, T, F)}. */
    public final boolean batchFirst() {
        return batchFirst;
    }

    /** The input size of layer {@code l}: inputSize for the first, hiddenSize above it. */
    final int layerInputSize(int l) {
        return l == 0 ? inputSize : hiddenSize;
    }

    /** PyTorch's {@code extra_repr}: sizes, then only the options that differ from the defaults. */
    @Override
    protected String extraRepr() {
        String s = inputSize + ", " + hiddenSize;
        if (numLayers != 1) {
            s += ", num_layers=" + numLayers;
        }
        if (!bias) {
            s += ", bias=False";
        }
        return batchFirst ? s + ", batch_first=True" : s;
    }
}
