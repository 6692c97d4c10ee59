package dev.nabla.nn;

/**
 * Configuration shared by the sequence layers {@link RNN}, {@link LSTM} and {@link GRU}: the number
 * of stacked layers, whether the cells have biases, and whether inputs and outputs are
 * batch-first {@code (N, T, F)} instead of the default time-first {@code (T, N, F)}. Immutable;
 * each setter returns a new value, e.g. {@code RNNOptions.defaults().numLayers(2).batchFirst(true)}.
 * Immutable and thread-safe.
 */
public final class RNNOptions {
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;

    private RNNOptions(int numLayers, boolean bias, boolean batchFirst) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("RNNOptions: numLayers must be at least 1, got " + numLayers);
        }
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
    }

    /** One layer, with biases, time-first: PyTorch's defaults. */
    public static RNNOptions defaults() {
        return new RNNOptions(1, true, false);
    }

    /** With {@code n} stacked layers; layer l &gt; 0 reads the hidden sequence of layer l − 1. */
    public RNNOptions numLayers(int n) {
        return new RNNOptions(n, bias, batchFirst);
    }

    /** With or without the bias vectors. */
    public RNNOptions bias(boolean on) {
        return new RNNOptions(numLayers, on, batchFirst);
    }

    /** With batch-first {@code (N, T, F)} inputs and outputs (states stay {@code (numLayers, N, H)}, as in PyTorch). */
    public RNNOptions batchFirst(boolean on) {
        return new RNNOptions(numLayers, bias, on);
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

    @Override
    public String toString() {
        return "RNNOptions(numLayers=" + numLayers + ", bias=" + bias + ", batchFirst=" + batchFirst + ")";
    }
}
