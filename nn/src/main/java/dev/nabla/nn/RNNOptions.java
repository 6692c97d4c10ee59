package dev.nabla.nn;

/**
 * Configuration shared by the sequence layers {@link RNN}, {@link LSTM} and {@link GRU}: the number
 * of stacked layers, whether the cells have biases, whether inputs and outputs are batch-first
 * {@code (N, T, F)} instead of the default time-first {@code (T, N, F)}, the dropout probability
 * between stacked layers, and whether each layer also runs a reverse direction. Each setter
 * returns a new value, e.g.
 * {@code RNNOptions.defaults().numLayers(2).bidirectional(true).dropout(0.2)}.
 * Immutable and thread-safe.
 */
public final class RNNOptions {
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;
    private final double dropout;
    private final boolean bidirectional;

    private RNNOptions(int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("RNNOptions: numLayers must be at least 1, got " + numLayers);
        }
        if (!(dropout >= 0.0 && dropout <= 1.0)) {
            throw new IllegalArgumentException("RNNOptions: dropout should be a number in range [0, 1] representing the "
                    + "probability of an element being zeroed, got " + dropout);
        }
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
    }

    /** One unidirectional layer, with biases, time-first, no dropout: PyTorch's defaults. */
    public static RNNOptions defaults() {
        return new RNNOptions(1, true, false, 0.0, false);
    }

    /** With {@code n} stacked layers; layer l &gt; 0 reads the hidden sequence of layer l − 1. */
    public RNNOptions numLayers(int n) {
        return new RNNOptions(n, bias, batchFirst, dropout, bidirectional);
    }

    /** With or without the bias vectors. */
    public RNNOptions bias(boolean on) {
        return new RNNOptions(numLayers, on, batchFirst, dropout, bidirectional);
    }

    /** With batch-first {@code (N, T, F)} inputs and outputs (states stay {@code (D·numLayers, N, H)}, as in PyTorch). */
    public RNNOptions batchFirst(boolean on) {
        return new RNNOptions(numLayers, bias, on, dropout, bidirectional);
    }

    /**
     * With dropout of probability {@code p} in [0, 1] on the output of every layer except the last,
     * in training mode only, as PyTorch's {@code dropout} argument. With one layer it has no effect
     * (PyTorch accepts it with a warning; Nabla accepts it silently).
     */
    public RNNOptions dropout(double p) {
        return new RNNOptions(numLayers, bias, batchFirst, p, bidirectional);
    }

    /**
     * With ({@code true}) or without a reverse direction in every layer, as PyTorch's
     * {@code bidirectional}: the output's last dimension becomes 2H (forward in {@code [..., :H]},
     * reverse in {@code [..., H:]}) and the states {@code (2·numLayers, N, H)}.
     */
    public RNNOptions bidirectional(boolean on) {
        return new RNNOptions(numLayers, bias, batchFirst, dropout, on);
    }

    /** Number of stacked layers. */
    public int numLayers() {
        return numLayers;
    }

    /** Whether the cells have biases. */
    public boolean bias() {
        return bias;
    }

    /** Whether inputs and outputs are {@code (N, T, F)}. */
    public boolean batchFirst() {
        return batchFirst;
    }

    /** The dropout probability between stacked layers (0 means none). */
    public double dropout() {
        return dropout;
    }

    /** Whether every layer also runs over the reversed sequence. */
    public boolean bidirectional() {
        return bidirectional;
    }

    @Override
    public String toString() {
        return "RNNOptions(numLayers=" + numLayers + ", bias=" + bias + ", batchFirst=" + batchFirst + ", dropout="
                + dropout + ", bidirectional=" + bidirectional + ")";
    }
}
