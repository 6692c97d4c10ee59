package dev.nabla.nn;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.autograd.Vmap;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.Shapes;
import java.util.Random;

/**
 * The parameters and the unrolling shared by {@link RNN}, {@link LSTM} and {@link GRU}. The
 * parameters are registered on this module itself with PyTorch's names, shapes and order, so a
 * PyTorch {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} state dict loads unchanged: for each
 * layer k, {@code weight_ih_l<k>} {@code (G·H, input_k)} (input_0 = inputSize, above it D·H),
 * {@code weight_hh_l<k>} {@code (G·H, H)}, then (with bias) {@code bias_ih_l<k>} and
 * {@code bias_hh_l<k>} {@code (G·H,)}, G gate blocks stacked row-wise in PyTorch's gate order (see
 * the cells); when bidirectional (D = 2) the same four follow with the suffix {@code _reverse}
 * before layer k + 1 begins. Every one starts from U(−1/√H, 1/√H) as in PyTorch, drawn in that
 * order, each row-major, from the generator given to the constructor.
 *
 * <p>The forward checks the input, slices it into time steps and runs each layer's cell step over
 * the steps (layer l &gt; 0 reading the output sequence of layer l − 1). A bidirectional layer
 * also runs its reverse cell from the last step to the first, so its output at step t is the
 * reverse state after x_T..x_t, and concatenates the two along the features: forward in
 * {@code [..., :H]}, reverse in {@code [..., H:]}. Final states are
 * {@code (D·numLayers, N, H)}, ordered layer 0 forward, layer 0 reverse, layer 1 forward, ...;
 * initial states use the same layout. With {@link RNNOptions#dropout(double) dropout} p &gt; 0 and
 * in training mode, the output sequence of every layer but the last, time-first
 * {@code (T, N, D·H)}, goes through {@link Functional#dropout} before the next layer; its masks
 * come from a generator seeded once, at construction, by one {@code nextLong()} of the
 * constructor's generator after the weights are drawn (only when dropout is active, so a layer
 * without dropout draws exactly its weights), so the same seed drops the same elements.
 *
 * <p>The graph is built from the cells' primitive operations, so backpropagation through time is
 * plain backward; cut it with {@link Variable#detach()} or {@link Variable#unchainBackward()} on
 * the carried state for truncated BPTT.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public abstract class RNNBase extends Module {
    private final String op;
    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;
    private final double dropout;
    private final boolean bidirectional;
    /** Number of directions D: 1, or 2 when bidirectional. */
    private final int directions;
    /** Draws the dropout masks; null when dropout is inactive (p = 0 or one layer). */
    private final Random dropoutRng;
    private final String[] stateNames;
    /** Per layer and direction (index layer·D + direction): {weight_ih, weight_hh, bias_ih, bias_hh}, biases null without bias. */
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
        this.dropout = options.dropout();
        this.bidirectional = options.bidirectional();
        this.directions = bidirectional ? 2 : 1;
        this.stateNames = stateNames;
        this.weights = new Parameter[numLayers * directions][];
        int g = gates * hiddenSize;
        for (int l = 0; l < numLayers; l++) {
            for (int d = 0; d < directions; d++) {
                String sfx = l + (d == 1 ? "_reverse" : "");
                Parameter wIh = registerParameter("weight_ih_l" + sfx, RNNSupport.uniformInit(rng, hiddenSize, g, layerInputSize(l)));
                Parameter wHh = registerParameter("weight_hh_l" + sfx, RNNSupport.uniformInit(rng, hiddenSize, g, hiddenSize));
                Parameter bIh = bias ? registerParameter("bias_ih_l" + sfx, RNNSupport.uniformInit(rng, hiddenSize, g)) : null;
                Parameter bHh = bias ? registerParameter("bias_hh_l" + sfx, RNNSupport.uniformInit(rng, hiddenSize, g)) : null;
                weights[l * directions + d] = new Parameter[] {wIh, wHh, bIh, bHh};
            }
        }
        this.dropoutRng = dropout > 0 && numLayers > 1 ? new Random(rng.nextLong()) : null;
    }

    /**
     * The parameters of one layer and direction in step order: {weight_ih, weight_hh, bias_ih,
     * bias_hh} (biases null without bias).
     */
    final Variable[] layerWeights(int layer, boolean reverse) {
        return weights[slot(layer, reverse)].clone();
    }

    private int slot(int layer, boolean reverse) {
        if (layer < 0 || layer >= numLayers) {
            throw new IndexOutOfBoundsException(op + ": layer " + layer + " is out of range for numLayers=" + numLayers);
        }
        if (reverse && !bidirectional) {
            throw new IllegalArgumentException(op + ": there are no reverse-direction parameters because this layer is not "
                    + "bidirectional; construct it with RNNOptions.defaults().bidirectional(true)");
        }
        return layer * directions + (reverse ? 1 : 0);
    }

    /** {@code weight_ih_l<layer>}, of shape {@code (G·H, input size of that layer)}. */
    public final Parameter weightIh(int layer) {
        return weightIh(layer, false);
    }

    /** {@code weight_hh_l<layer>}, of shape {@code (G·H, H)}. */
    public final Parameter weightHh(int layer) {
        return weightHh(layer, false);
    }

    /** {@code bias_ih_l<layer>}, of shape {@code (G·H,)}, or null without biases. */
    public final Parameter biasIh(int layer) {
        return biasIh(layer, false);
    }

    /** {@code bias_hh_l<layer>}, of shape {@code (G·H,)}, or null without biases. */
    public final Parameter biasHh(int layer) {
        return biasHh(layer, false);
    }

    /**
     * {@code weight_ih_l<layer>}, or with {@code reverse} {@code weight_ih_l<layer>_reverse} (only
     * when bidirectional), of shape {@code (G·H, input size of that layer)}.
     */
    public final Parameter weightIh(int layer, boolean reverse) {
        return weights[slot(layer, reverse)][0];
    }

    /** {@code weight_hh_l<layer>} or (reverse) {@code weight_hh_l<layer>_reverse}, of shape {@code (G·H, H)}. */
    public final Parameter weightHh(int layer, boolean reverse) {
        return weights[slot(layer, reverse)][1];
    }

    /** {@code bias_ih_l<layer>} or (reverse) {@code bias_ih_l<layer>_reverse}, {@code (G·H,)}, or null without biases. */
    public final Parameter biasIh(int layer, boolean reverse) {
        return weights[slot(layer, reverse)][2];
    }

    /** {@code bias_hh_l<layer>} or (reverse) {@code bias_hh_l<layer>_reverse}, {@code (G·H,)}, or null without biases. */
    public final Parameter biasHh(int layer, boolean reverse) {
        return weights[slot(layer, reverse)][3];
    }

    /** One step of this layer type's cell with explicit weights; returns the new states. */
    abstract Variable[] step(Variable x, Variable[] state, Variable[] weights);

    /**
     * Runs the recurrence with this module's parameters. {@code initial} holds one entry per state
     * kind (null entries mean zeros); returns {output, final state 0, final state 1, ...}.
     */
    final Variable[] run(Variable x, Variable... initial) {
        Variable[][] w = new Variable[weights.length][];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i].clone();
        }
        return run(x, initial, w);
    }

    /**
     * Runs the recurrence with explicit weights, one entry per layer and direction at index
     * {@code layer·D + direction} (the functional form used by gradient checks).
     */
    final Variable[] run(Variable x, Variable[] initial, Variable[][] weights) {
        checkInput(x);
        RNNCell.Nonlinearity act = fusedActivation();
        if (act != null && fusable(x, initial, weights)) {
            return runFused(x, initial == null || initial.length == 0 ? null : initial[0], weights, act);
        }
        return runUnrolled(x, initial, weights);
    }

    /**
     * The activation when this layer type runs each layer and direction as one
     * {@link RNNLayerNode} (the Elman RNN), else null (the cells are unrolled step by step).
     */
    RNNCell.Nonlinearity fusedActivation() {
        return null;
    }

    /**
     * Whether the fused layer nodes apply: no vmap level open (batched inputs take the unrolled
     * reference path, whose ops carry batching rules) and every operand of one float32 or float64 dtype.
     */
    private static boolean fusable(Variable x, Variable[] initial, Variable[][] weights) {
        if (Vmap.isActive()) {
            return false;
        }
        DType d = x.dtype();
        if (d != DType.FLOAT32 && d != DType.FLOAT64) {
            return false;
        }
        if (initial != null) {
            for (Variable v : initial) {
                if (v != null && v.dtype() != d) {
                    return false;
                }
            }
        }
        for (Variable[] w : weights) {
            for (Variable v : w) {
                if (v != null && v.dtype() != d) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The Elman recurrence with one {@link RNNLayerNode} per layer and direction: values bitwise
     * those of {@link #runUnrolled} (the nodes run the cells' array operations), gradients as
     * documented on the node.
     */
    private Variable[] runFused(Variable x, Variable h0, Variable[][] weights, RNNCell.Nonlinearity act) {
        int t = x.shape(batchFirst ? 1 : 0);
        int n = x.shape(batchFirst ? 0 : 1);
        int slots = numLayers * directions;
        if (h0 != null) {
            checkState(stateNames[0], h0, n);
        }
        Variable seq = x;
        boolean seqBatchFirst = batchFirst;
        Variable[] finals = new Variable[slots];
        for (int l = 0; l < numLayers; l++) {
            Variable[] outs = new Variable[directions];
            for (int d = 0; d < directions; d++) {
                int slot = l * directions + d;
                Variable init = h0 == null ? RNNSupport.zeros(x, n, hiddenSize)
                        : slots == 1 ? h0.reshape(n, hiddenSize) : h0.getItem(Index.at(slot));
                Variable[] w = weights[slot];
                outs[d] = RNNLayerNode.layer(seq, init, w[0], w[1], w[2], w[3], act, d == 1, seqBatchFirst);
                finals[slot] = outs[d].getItem(Index.at(d == 0 ? t - 1 : 0));
            }
            seq = directions == 1 ? outs[0] : F.concat(2, outs[0], outs[1]);
            seqBatchFirst = false;
            if (l < numLayers - 1 && dropoutRng != null && isTraining()) {
                seq = Functional.dropout(seq, dropout, true, dropoutRng);
            }
        }
        return new Variable[] {batchFirst ? seq.transpose(0, 1) : seq,
                               slots == 1 ? finals[0].unsqueeze(0) : F.stack(0, finals)};
    }

    /** The recurrence unrolled into the cells' primitive operations, step by step (the reference). */
    final Variable[] runUnrolled(Variable x, Variable[] initial, Variable[][] weights) {
        checkInput(x);
        int t = x.shape(batchFirst ? 1 : 0);
        int n = x.shape(batchFirst ? 0 : 1);
        int k = stateNames.length;
        int slots = numLayers * directions;
        Variable[] seq = new Variable[t];
        for (int i = 0; i < t; i++) {
            seq[i] = batchFirst ? x.getItem(Index.all(), Index.at(i)) : x.getItem(Index.at(i));
        }
        Variable[][] finals = new Variable[k][slots];
        for (int l = 0; l < numLayers; l++) {
            Variable[][] outs = new Variable[directions][];
            for (int d = 0; d < directions; d++) {
                int slot = l * directions + d;
                Variable[] state = new Variable[k];
                for (int s = 0; s < k; s++) {
                    Variable init = initial == null || s >= initial.length ? null : initial[s];
                    if (init == null) {
                        state[s] = RNNSupport.zeros(x, n, hiddenSize);
                    } else {
                        checkState(stateNames[s], init, n);
                        state[s] = slots == 1 ? init.reshape(n, hiddenSize) : init.getItem(Index.at(slot));
                    }
                }
                Variable[] out = new Variable[t];
                for (int j = 0; j < t; j++) {
                    int i = d == 0 ? j : t - 1 - j;
                    state = step(seq[i], state, weights[slot]);
                    out[i] = state[0];
                }
                for (int s = 0; s < k; s++) {
                    finals[s][slot] = state[s];
                }
                outs[d] = out;
            }
            seq = directions == 1 ? outs[0] : concatFeatures(outs[0], outs[1]);
            if (l < numLayers - 1 && dropoutRng != null && isTraining()) {
                seq = dropBetweenLayers(seq);
            }
        }
        Variable[] result = new Variable[k + 1];
        result[0] = F.stack(batchFirst ? 1 : 0, seq);
        for (int s = 0; s < k; s++) {
            result[s + 1] = slots == 1 ? finals[s][0].unsqueeze(0) : F.stack(0, finals[s]);
        }
        return result;
    }

    private static Variable[] concatFeatures(Variable[] fwd, Variable[] rev) {
        Variable[] out = new Variable[fwd.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = F.concat(1, fwd[i], rev[i]);
        }
        return out;
    }

    /** Dropout on one layer's whole output sequence, time-first (T, N, D·H), as PyTorch applies it; then split back into steps. */
    private Variable[] dropBetweenLayers(Variable[] seq) {
        Variable dropped = Functional.dropout(F.stack(0, seq), dropout, true, dropoutRng);
        Variable[] out = new Variable[seq.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = dropped.getItem(Index.at(i));
        }
        return out;
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
        int slots = numLayers * directions;
        if (s.ndim() != 3 || s.shape(0) != slots || s.shape(1) != n || s.shape(2) != hiddenSize) {
            String first = bidirectional ? "2*numLayers=" + slots : "numLayers=" + numLayers;
            throw new IllegalArgumentException(op + ": expected " + name + " of shape (" + first + ", N=" + n
                    + ", hiddenSize=" + hiddenSize + ")" + (bidirectional ? " (bidirectional: layer 0 forward, layer 0 "
                    + "reverse, layer 1 forward, ...)" : "") + " but got " + Shapes.str(s.shape()));
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

    /** The dropout probability on every layer's output but the last's, in training mode (0 means none). */
    public final double dropout() {
        return dropout;
    }

    /** Whether every layer also runs a reverse direction (output features 2H, states 2·numLayers). */
    public final boolean bidirectional() {
        return bidirectional;
    }

    /** The input size of layer {@code l}: inputSize for the first, D·hiddenSize above it. */
    final int layerInputSize(int l) {
        return l == 0 ? inputSize : directions * hiddenSize;
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
        if (batchFirst) {
            s += ", batch_first=True";
        }
        if (dropout != 0) {
            s += ", dropout=" + Repr.num(dropout);
        }
        return bidirectional ? s + ", bidirectional=True" : s;
    }
}
