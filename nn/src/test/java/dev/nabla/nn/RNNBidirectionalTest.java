package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.F;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bidirectional layers against a direct loop (the forward cell over the sequence, the reverse cell
 * over the reversed sequence, concatenated), the state layout, PyTorch's parameter names and shapes,
 * and whole-model gradient checks.
 */
class RNNBidirectionalTest {
    private static final int T = 4;
    private static final int N = 3;
    private static final int F_IN = 2;
    private static final int H = 5;

    private static Variable randn(Random r, int... shape) {
        return new Variable(NDArray.randn(r, shape));
    }

    /** Step function of a cell: (x, state) to new state, states as arrays {h} or {h, c}. */
    interface Cell {
        Variable[] step(Variable x, Variable[] state, RNNBase m, int layer, boolean reverse);
    }

    static final Cell LSTM_CELL = (x, s, m, l, rev) -> {
        LSTMState o = Functional.lstmCell(x, s[0], s[1], m.weightIh(l, rev), m.weightHh(l, rev), m.biasIh(l, rev),
                m.biasHh(l, rev));
        return new Variable[] {o.h(), o.c()};
    };
    static final Cell GRU_CELL = (x, s, m, l, rev) -> new Variable[] {
        Functional.gruCell(x, s[0], m.weightIh(l, rev), m.weightHh(l, rev), m.biasIh(l, rev), m.biasHh(l, rev))};
    static final Cell RNN_CELL = (x, s, m, l, rev) -> new Variable[] {
        Functional.rnnCell(x, s[0], m.weightIh(l, rev), m.weightHh(l, rev), m.biasIh(l, rev), m.biasHh(l, rev),
                RNNCell.Nonlinearity.TANH)};

    /** The reference: {outputs per step (N, 2H), final states [state kind][layer·2 + direction]}. */
    record Loop(List<Variable> outputs, Variable[][] finals) {}

    /**
     * Runs every layer's forward cell over the steps and its reverse cell over the reversed steps,
     * then reverses the latter's outputs back and concatenates [forward, reverse] as the next input;
     * {@code masks}, when not null, holds per layer below the top a (T, N, 2H) factor that
     * multiplies that layer's concatenated output before the next layer reads it.
     */
    static Loop loop(RNNBase m, Cell cell, List<Variable> xs, Variable[] init, NDArray[] masks) {
        int k = init.length;
        Variable[][] finals = new Variable[k][2 * m.numLayers()];
        List<Variable> in = xs;
        for (int l = 0; l < m.numLayers(); l++) {
            List<Variable> fwd = new ArrayList<>();
            Variable[] s = slots(init, 2 * l);
            for (Variable x : in) {
                s = cell.step(x, s, m, l, false);
                fwd.add(s[0]);
            }
            put(finals, s, 2 * l);
            List<Variable> reversed = new ArrayList<>(in);
            Collections.reverse(reversed);
            List<Variable> rev = new ArrayList<>();
            s = slots(init, 2 * l + 1);
            for (Variable x : reversed) {
                s = cell.step(x, s, m, l, true);
                rev.add(s[0]);
            }
            put(finals, s, 2 * l + 1);
            Collections.reverse(rev);
            List<Variable> next = new ArrayList<>();
            for (int t = 0; t < in.size(); t++) {
                Variable both = F.concat(1, fwd.get(t), rev.get(t));
                if (masks != null && l < m.numLayers() - 1) {
                    both = both.mul(Variable.constant(masks[l].getItem(Index.at(t))));
                }
                next.add(both);
            }
            in = next;
        }
        return new Loop(in, finals);
    }

    private static Variable[] slots(Variable[] init, int slot) {
        Variable[] s = new Variable[init.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = init[i].getItem(Index.at(slot));
        }
        return s;
    }

    private static void put(Variable[][] finals, Variable[] s, int slot) {
        for (int i = 0; i < s.length; i++) {
            finals[i][slot] = s[i];
        }
    }

    static List<Variable> steps(Variable x) {
        List<Variable> xs = new ArrayList<>();
        for (int t = 0; t < x.shape(0); t++) {
            xs.add(x.getItem(Index.at(t)));
        }
        return xs;
    }

    private static void assertMatchesLoop(RNNBase m, Cell cell, int states, long seed) {
        Random r = new Random(seed);
        Variable x = randn(r, T, N, F_IN);
        Variable[] init = new Variable[states];
        for (int s = 0; s < states; s++) {
            init[s] = randn(r, 2 * m.numLayers(), N, H);
        }
        Variable[] out = m.run(x, init);
        Loop ref = loop(m, cell, steps(x), init, null);
        String name = m.getClass().getSimpleName();
        assertArrayEquals(new int[] {T, N, 2 * H}, out[0].shape(), name + " output (T, N, 2H)");
        for (int t = 0; t < T; t++) {
            NDArray got = out[0].data().getItem(Index.at(t));
            NDArray want = ref.outputs().get(t).data();
            assertEquals(want.slice(1, 0, H), got.slice(1, 0, H), name + " forward half at step " + t);
            assertEquals(want.slice(1, H, 2 * H), got.slice(1, H, 2 * H), name + " reverse half at step " + t);
        }
        for (int s = 0; s < states; s++) {
            assertArrayEquals(new int[] {2 * m.numLayers(), N, H}, out[s + 1].shape(), name + " final state (2L, N, H)");
            for (int slot = 0; slot < 2 * m.numLayers(); slot++) {
                assertEquals(ref.finals()[s][slot].data(), out[s + 1].data().getItem(Index.at(slot)),
                        name + " final state " + s + " of layer " + slot / 2 + (slot % 2 == 1 ? " reverse" : " forward"));
            }
        }
    }

    private static RNNOptions bi2() {
        return RNNOptions.defaults().numLayers(2).bidirectional(true);
    }

    @Test
    void outputIsForwardLoopConcatenatedWithReversedLoop() {
        assertMatchesLoop(new LSTM(F_IN, H, bi2(), new Random(1)), LSTM_CELL, 2, 11);
        assertMatchesLoop(new GRU(F_IN, H, bi2(), new Random(2)), GRU_CELL, 1, 12);
        assertMatchesLoop(new RNN(F_IN, H, bi2(), new Random(3)), RNN_CELL, 1, 13);
        assertMatchesLoop(new LSTM(F_IN, H, bi2().numLayers(1).bias(false), new Random(4)), LSTM_CELL, 2, 14);
    }

    @Test
    void finalStatesAreLayerMajorForwardThenReverse() {
        // independent of the loop: the forward final state is the forward half of the last output
        // step, the reverse final state the reverse half of the first (it has then read x_T..x_1)
        LSTM lstm = new LSTM(F_IN, H, bi2(), new Random(5));
        LSTMOutput o = lstm.forward(randn(new Random(6), T, N, F_IN), (LSTMState) null);
        NDArray y = o.output().data();
        assertEquals(y.getItem(Index.at(T - 1)).slice(1, 0, H), o.h().data().getItem(Index.at(2)), "layer 1 forward");
        assertEquals(y.getItem(Index.at(0)).slice(1, H, 2 * H), o.h().data().getItem(Index.at(3)), "layer 1 reverse");
        assertArrayEquals(new int[] {4, N, H}, o.c().shape());
        GRU gru = new GRU(F_IN, H, bi2().numLayers(1).batchFirst(true), new Random(7));
        RNNOutput g = gru.forward(randn(new Random(8), N, T, F_IN), null);
        assertArrayEquals(new int[] {N, T, 2 * H}, g.output().shape());
        assertArrayEquals(new int[] {2, N, H}, g.h().shape());
        NDArray gy = g.output().data();
        assertEquals(gy.getItem(Index.all(), Index.at(T - 1)).slice(1, 0, H), g.h().data().getItem(Index.at(0)));
        assertEquals(gy.getItem(Index.all(), Index.at(0)).slice(1, H, 2 * H), g.h().data().getItem(Index.at(1)));
    }

    @Test
    void batchFirstIsTheTransposeOfTimeFirst() {
        NDArray x = NDArray.randn(new Random(9), T, N, F_IN);
        LSTM a = new LSTM(F_IN, H, bi2(), new Random(1));
        LSTM b = new LSTM(F_IN, H, bi2().batchFirst(true), new Random(1));
        Variable[] ya = a.run(new Variable(x));
        Variable[] yb = b.run(new Variable(x.transpose(0, 1)));
        assertEquals(ya[0].data().transpose(0, 1), yb[0].data());
        assertEquals(ya[1].data(), yb[1].data());
        assertEquals(ya[2].data(), yb[2].data());
    }

    /**
     * PyTorch's documented parameters of a 2-layer bidirectional {@code nn.LSTM(3, 5)} /
     * {@code nn.GRU(3, 5)}: {@code weight_ih_l[k]} (G·hidden_size, input_size) for k = 0, otherwise
     * (G·hidden_size, num_directions·hidden_size); {@code weight_hh_l[k]} (G·hidden_size,
     * hidden_size); {@code bias_ih_l[k]}, {@code bias_hh_l[k]} (G·hidden_size); each
     * {@code ..._reverse} analogous for the reverse direction; G = 4 for LSTM, 3 for GRU; the order
     * is PyTorch's {@code _flat_weights_names}: layer by layer, forward then reverse.
     */
    private static Map<String, int[]> pytorchKeys(int g) {
        int in = 3;
        int h = 5;
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("weight_ih_l0", new int[] {g * h, in});
        m.put("weight_hh_l0", new int[] {g * h, h});
        m.put("bias_ih_l0", new int[] {g * h});
        m.put("bias_hh_l0", new int[] {g * h});
        m.put("weight_ih_l0_reverse", new int[] {g * h, in});
        m.put("weight_hh_l0_reverse", new int[] {g * h, h});
        m.put("bias_ih_l0_reverse", new int[] {g * h});
        m.put("bias_hh_l0_reverse", new int[] {g * h});
        m.put("weight_ih_l1", new int[] {g * h, 2 * h});
        m.put("weight_hh_l1", new int[] {g * h, h});
        m.put("bias_ih_l1", new int[] {g * h});
        m.put("bias_hh_l1", new int[] {g * h});
        m.put("weight_ih_l1_reverse", new int[] {g * h, 2 * h});
        m.put("weight_hh_l1_reverse", new int[] {g * h, h});
        m.put("bias_ih_l1_reverse", new int[] {g * h});
        m.put("bias_hh_l1_reverse", new int[] {g * h});
        return m;
    }

    private static void assertStateDict(Map<String, int[]> expected, RNNBase m) {
        Map<String, NDArray> sd = m.stateDict();
        String name = m.getClass().getSimpleName();
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(sd.keySet()), name + ": PyTorch's keys in order");
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), sd.get(e.getKey()).shape(), name + ": shape of " + e.getKey());
        }
    }

    @Test
    void stateDictHasPyTorchsKeysOrderAndShapes() {
        assertStateDict(pytorchKeys(4), new LSTM(3, 5, bi2(), new Random(0)));
        assertStateDict(pytorchKeys(3), new GRU(3, 5, bi2(), new Random(0)));
        GRU gru = new GRU(3, 5, bi2(), new Random(0));
        assertEquals(gru.namedParameters().get("weight_hh_l1_reverse"), gru.weightHh(1, true));
        assertEquals(gru.namedParameters().get("bias_ih_l0"), gru.biasIh(0));
    }

    @Test
    void parametersAreDrawnInRegistrationOrderFromTheGenerator() {
        // PyTorch's reset_parameters: U(-1/sqrt(H), 1/sqrt(H)) over self.parameters() in order
        LSTM lstm = new LSTM(3, 5, bi2(), new Random(42));
        Random r = new Random(42);
        double k = 1 / Math.sqrt(5);
        for (Map.Entry<String, int[]> e : pytorchKeys(4).entrySet()) {
            assertEquals(NDArray.uniform(r, -k, k, e.getValue()), lstm.namedParameters().get(e.getKey()).data(), e.getKey());
        }
    }

    @Test
    void reprShowsPyTorchsOptions() {
        assertEquals("LSTM(3, 5, num_layers=2, dropout=0.5, bidirectional=True)",
                new LSTM(3, 5, bi2().dropout(0.5), new Random(0)).toString());
        assertEquals("GRU(3, 5, batch_first=True, bidirectional=True)",
                new GRU(3, 5, RNNOptions.defaults().batchFirst(true).bidirectional(true), new Random(0)).toString());
    }

    private static void assertMessage(Executable e, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) {
            assertTrue(ex.getMessage().contains(p), "message lacks '" + p + "': " + ex.getMessage());
        }
    }

    @Test
    void badStatesAndReverseAccessNameTheFix() {
        Random r = new Random(0);
        LSTM lstm = new LSTM(F_IN, H, bi2(), r);
        assertMessage(() -> lstm.forward(randn(r, T, N, F_IN), randn(r, 2, N, H), null),
                "LSTM: expected h0 of shape (2*numLayers=4, N=3, hiddenSize=5)", "layer 0 reverse", "got (2, 3, 5)");
        GRU gru = new GRU(F_IN, H, RNNOptions.defaults().bidirectional(true), r);
        assertMessage(() -> gru.forward(randn(r, T, N, F_IN), randn(r, 1, N, H)), "(2*numLayers=2, N=3, hiddenSize=5)");
        RNN uni = new RNN(F_IN, H, r);
        assertMessage(() -> uni.weightIh(0, true), "RNN", "not bidirectional", "bidirectional(true)");
        assertThrows(IndexOutOfBoundsException.class, () -> lstm.weightHh(2, true));
    }

    /** A scalar of the outputs and final states with fixed random cotangents, so every part is checked. */
    private static double[] weightsFor(int size, long seed) {
        return NDArray.uniform(new Random(seed), -1, 1, size).toArray();
    }

    private static Variable dotted(Variable[] outs, long seed) {
        Variable total = null;
        for (int i = 0; i < outs.length; i++) {
            Variable w = new Variable(NDArray.of(weightsFor(outs[i].size(), seed + i), outs[i].shape()));
            Variable term = outs[i].mul(w).sum();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    private static void gradCheckModel(RNNBase m, BiFunction<RNNBase, Variable, Variable[]> f, long seed) {
        m.eval(); // dropout off: the loss must be a deterministic function of the parameters
        Variable x = randn(new Random(seed), 3, 2, F_IN);
        Map<String, Parameter> params = m.namedParameters();
        assertEquals(16, params.size());
        GradCheck.checkParameters(() -> dotted(f.apply(m, x), seed), params).orThrow();
    }

    @Test
    void gradientsOfTwoLayerBidirectionalLstmAndGruMatchCentralDifferences() {
        RNNOptions o = RNNOptions.defaults().numLayers(2).bidirectional(true).dropout(0.3);
        gradCheckModel(new LSTM(F_IN, 3, o, new Random(21)), (m, x) -> m.run(x), 31);
        gradCheckModel(new GRU(F_IN, 3, o.batchFirst(true), new Random(22)), (m, x) -> m.run(x), 32);
    }
}
