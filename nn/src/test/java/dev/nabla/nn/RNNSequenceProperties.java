package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * First- and second-order gradient checks of short unrolled sequences (T ≤ 3, N ≤ 2, sizes ≤ 3,
 * one or two layers, time- or batch-first, uni- or bidirectional) through the layers' own
 * unrolling code, with respect to the input sequence, the initial states and every layer's (and
 * direction's) weights; the output sequence and the final states are checked together.
 */
class RNNSequenceProperties {

    /** Inputs x, initial states and per-layer weights; returns the layer's outputs joined. */
    private static void check(RNNBase layer, int gates, int states, int t, int n, long seed) {
        Random r = new Random(seed);
        int l = layer.numLayers();
        int d = layer.bidirectional() ? 2 : 1;
        int hs = layer.hiddenSize();
        boolean bias = layer.hasBias();
        List<NDArray> in = new ArrayList<>();
        in.add(layer.batchFirst() ? NDArray.randn(r, n, t, layer.inputSize()) : NDArray.randn(r, t, n, layer.inputSize()));
        for (int s = 0; s < states; s++) {
            in.add(NDArray.uniform(r, -1, 1, d * l, n, hs));
        }
        for (int k = 0; k < d * l; k++) {
            in.addAll(RNNGradInputs.cellWeights(r, k < d ? layer.inputSize() : d * hs, hs, gates, bias));
        }
        int per = bias ? 4 : 2;
        RNNGradInputs.checkBoth(v -> {
            Variable[] init = new Variable[states];
            System.arraycopy(v, 1, init, 0, states);
            Variable[][] w = new Variable[d * l][];
            for (int k = 0; k < d * l; k++) {
                w[k] = RNNGradInputs.slots(v, 1 + states + k * per, bias);
            }
            return RNNGradInputs.joined(layer.run(v[0], init, w));
        }, seed, in);
    }

    private static RNNOptions options(int layers, boolean batchFirst, boolean bias) {
        return RNNOptions.defaults().numLayers(layers).batchFirst(batchFirst).bias(bias);
    }

    private static RNNOptions bidirectional(int layers, boolean batchFirst, boolean bias) {
        return options(layers, batchFirst, bias).bidirectional(true);
    }

    @Property(tries = 20)
    void rnnSequence(@ForAll @IntRange(min = 1, max = 3) int t, @ForAll @IntRange(min = 1, max = 2) int n,
                     @ForAll @IntRange(min = 1, max = 3) int f, @ForAll @IntRange(min = 1, max = 3) int h,
                     @ForAll @IntRange(min = 1, max = 2) int layers, @ForAll boolean batchFirst, @ForAll boolean bias,
                     @ForAll long seed) {
        check(new RNN(f, h, options(layers, batchFirst, bias), new Random(0)), 1, 1, t, n, seed);
    }

    @Property(tries = 15)
    void lstmSequence(@ForAll @IntRange(min = 1, max = 3) int t, @ForAll @IntRange(min = 1, max = 2) int n,
                      @ForAll @IntRange(min = 1, max = 3) int f, @ForAll @IntRange(min = 1, max = 3) int h,
                      @ForAll @IntRange(min = 1, max = 2) int layers, @ForAll boolean batchFirst, @ForAll boolean bias,
                      @ForAll long seed) {
        check(new LSTM(f, h, options(layers, batchFirst, bias), new Random(0)), 4, 2, t, n, seed);
    }

    @Property(tries = 15)
    void gruSequence(@ForAll @IntRange(min = 1, max = 3) int t, @ForAll @IntRange(min = 1, max = 2) int n,
                     @ForAll @IntRange(min = 1, max = 3) int f, @ForAll @IntRange(min = 1, max = 3) int h,
                     @ForAll @IntRange(min = 1, max = 2) int layers, @ForAll boolean batchFirst, @ForAll boolean bias,
                     @ForAll long seed) {
        check(new GRU(f, h, options(layers, batchFirst, bias), new Random(0)), 3, 1, t, n, seed);
    }

    @Property(tries = 6)
    void bidirectionalRnnSequence(@ForAll @IntRange(min = 1, max = 3) int t, @ForAll @IntRange(min = 1, max = 2) int n,
                                  @ForAll @IntRange(min = 1, max = 2) int f, @ForAll @IntRange(min = 1, max = 2) int h,
                                  @ForAll @IntRange(min = 1, max = 2) int layers, @ForAll boolean batchFirst,
                                  @ForAll boolean bias, @ForAll long seed) {
        check(new RNN(f, h, bidirectional(layers, batchFirst, bias), new Random(0)), 1, 1, t, n, seed);
    }

    @Property(tries = 6)
    void bidirectionalLstmSequence(@ForAll @IntRange(min = 1, max = 3) int t, @ForAll @IntRange(min = 1, max = 2) int n,
                                   @ForAll @IntRange(min = 1, max = 2) int f, @ForAll @IntRange(min = 1, max = 2) int h,
                                   @ForAll @IntRange(min = 1, max = 2) int layers, @ForAll boolean batchFirst,
                                   @ForAll boolean bias, @ForAll long seed) {
        check(new LSTM(f, h, bidirectional(layers, batchFirst, bias), new Random(0)), 4, 2, t, n, seed);
    }

    @Property(tries = 6)
    void bidirectionalGruSequence(@ForAll @IntRange(min = 1, max = 3) int t, @ForAll @IntRange(min = 1, max = 2) int n,
                                  @ForAll @IntRange(min = 1, max = 2) int f, @ForAll @IntRange(min = 1, max = 2) int h,
                                  @ForAll @IntRange(min = 1, max = 2) int layers, @ForAll boolean batchFirst,
                                  @ForAll boolean bias, @ForAll long seed) {
        check(new GRU(f, h, bidirectional(layers, batchFirst, bias), new Random(0)), 3, 1, t, n, seed);
    }
}
