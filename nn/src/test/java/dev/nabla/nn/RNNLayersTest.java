package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import java.util.List;
import java.util.Random;

/** The sequence layers against explicit loops over their cells, layouts, and error messages. */
class RNNLayersTest {
    private static final int T = 4;
    private static final int N = 3;
    private static final int F = 2;
    private static final int H = 5;

    private static Variable randn(Random r, int... shape) {
        return new Variable(NDArray.randn(r, shape));
    }

    @Test
    void twoLayerRnnEqualsCellsChainedByHand() {
        Random r = new Random(7);
        RNN rnn = new RNN(F, H, RNNOptions.defaults().numLayers(2), r);
        Variable x = randn(r, T, N, F);
        Variable h0 = randn(r, 2, N, H);
        RNNOutput out = rnn.forward(x, h0);
        Variable a = h0.getItem(Index.at(0));
        Variable b = h0.getItem(Index.at(1));
        for (int t = 0; t < T; t++) {
            a = Functional.rnnCell(x.getItem(Index.at(t)), a, rnn.weightIh(0), rnn.weightHh(0), rnn.biasIh(0), rnn.biasHh(0),
                    RNNCell.Nonlinearity.TANH);
            b = Functional.rnnCell(a, b, rnn.weightIh(1), rnn.weightHh(1), rnn.biasIh(1), rnn.biasHh(1), RNNCell.Nonlinearity.TANH);
            assertEquals(b.data(), out.output().data().getItem(Index.at(t)), "step " + t);
        }
        assertEquals(a.data(), out.h().data().getItem(Index.at(0)));
        assertEquals(b.data(), out.h().data().getItem(Index.at(1)));
        assertArrayEquals(new int[] {T, N, H}, out.output().shape());
        assertArrayEquals(new int[] {2, N, H}, out.h().shape());
    }

    @Test
    void twoLayerLstmEqualsCellsChainedByHand() {
        Random r = new Random(8);
        LSTM lstm = new LSTM(F, H, RNNOptions.defaults().numLayers(2), r);
        Variable x = randn(r, T, N, F);
        Variable h0 = randn(r, 2, N, H);
        Variable c0 = randn(r, 2, N, H);
        LSTMOutput out = lstm.forward(x, h0, c0);
        LSTMState a = new LSTMState(h0.getItem(Index.at(0)), c0.getItem(Index.at(0)));
        LSTMState b = new LSTMState(h0.getItem(Index.at(1)), c0.getItem(Index.at(1)));
        for (int t = 0; t < T; t++) {
            a = Functional.lstmCell(x.getItem(Index.at(t)), a.h(), a.c(), lstm.weightIh(0), lstm.weightHh(0), lstm.biasIh(0),
                    lstm.biasHh(0));
            b = Functional.lstmCell(a.h(), b.h(), b.c(), lstm.weightIh(1), lstm.weightHh(1), lstm.biasIh(1), lstm.biasHh(1));
            assertEquals(b.h().data(), out.output().data().getItem(Index.at(t)), "step " + t);
        }
        assertEquals(a.c().data(), out.c().data().getItem(Index.at(0)));
        assertEquals(b.c().data(), out.c().data().getItem(Index.at(1)));
        assertEquals(b.h().data(), out.h().data().getItem(Index.at(1)));
        assertEquals(out.h(), out.state().h());
    }

    @Test
    void twoLayerGruEqualsCellsChainedByHand() {
        Random r = new Random(9);
        GRU gru = new GRU(F, H, RNNOptions.defaults().numLayers(2), r);
        Variable x = randn(r, T, N, F);
        RNNOutput out = gru.forward(x, null);
        Variable a = new Variable(NDArray.zeros(N, H));
        Variable b = a;
        for (int t = 0; t < T; t++) {
            a = Functional.gruCell(x.getItem(Index.at(t)), a, gru.weightIh(0), gru.weightHh(0), gru.biasIh(0), gru.biasHh(0));
            b = Functional.gruCell(a, b, gru.weightIh(1), gru.weightHh(1), gru.biasIh(1), gru.biasHh(1));
            assertEquals(b.data(), out.output().data().getItem(Index.at(t)), "step " + t);
        }
        assertEquals(a.data(), out.h().data().getItem(Index.at(0)));
        assertEquals(out.output().data(), gru.forward(x).data());
    }

    @Test
    void batchFirstIsTheTransposeOfTimeFirst() {
        Random r = new Random(10);
        RNNOptions opts = RNNOptions.defaults().numLayers(2);
        List<RNNBase[]> pairs = List.of(
                new RNNBase[] {new RNN(F, H, opts, new Random(1)), new RNN(F, H, opts.batchFirst(true), new Random(1))},
                new RNNBase[] {new LSTM(F, H, opts, new Random(1)), new LSTM(F, H, opts.batchFirst(true), new Random(1))},
                new RNNBase[] {new GRU(F, H, opts, new Random(1)), new GRU(F, H, opts.batchFirst(true), new Random(1))});
        NDArray x = NDArray.randn(r, T, N, F);
        for (RNNBase[] p : pairs) {
            Variable[] a = p[0].run(new Variable(x));
            Variable[] b = p[1].run(new Variable(x.transpose(0, 1)));
            assertArrayEquals(new int[] {N, T, H}, b[0].shape());
            assertEquals(a[0].data().transpose(0, 1), b[0].data(), p[0].getClass().getSimpleName());
            for (int s = 1; s < a.length; s++) {
                assertEquals(a[s].data(), b[s].data(), "final states are (numLayers, N, H) either way");
            }
        }
    }

    @Test
    void singleLayerFinalStateIsTheLastOutput() {
        Random r = new Random(12);
        RNN rnn = new RNN(F, H, r);
        RNNOutput out = rnn.forward(randn(r, T, N, F), null);
        assertEquals(out.output().data().getItem(Index.at(T - 1)), out.h().data().getItem(Index.at(0)));
        LSTM lstm = new LSTM(F, H, r);
        LSTMOutput lo = lstm.forward(randn(r, T, N, F), (LSTMState) null);
        assertEquals(lo.output().data().getItem(Index.at(T - 1)), lo.h().data().getItem(Index.at(0)));
    }

    @Test
    void carryingTheStateAcrossChunksEqualsOneLongRun() {
        Random r = new Random(13);
        LSTM lstm = new LSTM(F, H, RNNOptions.defaults().numLayers(2), r);
        NDArray x = NDArray.randn(r, 6, N, F);
        LSTMOutput whole = lstm.forward(new Variable(x), (LSTMState) null);
        LSTMOutput first = lstm.forward(new Variable(x.slice(0, 0, 3)), (LSTMState) null);
        LSTMOutput second = lstm.forward(new Variable(x.slice(0, 3, 6)), first.state().detach());
        assertEquals(whole.output().data().slice(0, 3, 6), second.output().data());
        assertEquals(whole.c().data(), second.c().data());
    }

    @Test
    void parametersAreNamedPerLayerInOrderAndSeeded() {
        LSTM lstm = new LSTM(F, H, RNNOptions.defaults().numLayers(2), new Random(5));
        // PyTorch's names, registered on the LSTM itself, in PyTorch's order and shapes
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"), List.copyOf(lstm.namedParameters().keySet()));
        assertTrue(lstm.children().isEmpty());
        assertArrayEquals(new int[] {4 * H, F}, lstm.weightIh(0).shape());
        assertArrayEquals(new int[] {4 * H, H}, lstm.weightHh(0).shape());
        assertArrayEquals(new int[] {4 * H, H}, lstm.weightIh(1).shape());
        assertArrayEquals(new int[] {4 * H}, lstm.biasHh(1).shape());
        assertSame(lstm.namedParameters().get("weight_hh_l1"), lstm.weightHh(1));
        GRU gru = new GRU(F, H, RNNOptions.defaults().bias(false), new Random(5));
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(gru.namedParameters().keySet()));
        assertArrayEquals(new int[] {3 * H, F}, gru.weightIh(0).shape());
        assertNull(gru.biasIh(0));
        RNN plain = new RNN(F, H, new Random(5));
        assertArrayEquals(new int[] {H, F}, plain.weightIh(0).shape());
        assertThrows(IndexOutOfBoundsException.class, () -> plain.weightIh(1));
        LSTM again = new LSTM(F, H, RNNOptions.defaults().numLayers(2), new Random(5));
        Variable x = randn(new Random(6), T, N, F);
        assertEquals(lstm.forward(x).data(), again.forward(x).data(), "same seed, bitwise same output");
        RNN relu = new RNN(F, H, RNNCell.Nonlinearity.RELU, RNNOptions.defaults(), new Random(5));
        assertTrue(relu.forward(x).data().min(null, false).item() >= 0);
    }

    private static void assertMessage(Executable e, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) {
            assertTrue(ex.getMessage().contains(p), "message lacks '" + p + "': " + ex.getMessage());
        }
    }

    @Test
    void badInputsNameTheExpectedShape() {
        Random r = new Random(0);
        LSTM lstm = new LSTM(F, H, RNNOptions.defaults().numLayers(2), r);
        assertMessage(() -> lstm.forward(randn(r, T, F)), "LSTM: expected a 3-D input of shape (T, N, inputSize=2)",
                "got shape (4, 2)", "unsqueeze(1)");
        assertMessage(() -> lstm.forward(randn(r, T, N, 7)), "expected input of shape (T, N, inputSize=2)",
                "(4, 3, 7)", "inputSize=2");
        assertMessage(() -> lstm.forward(randn(r, T, N, F), randn(r, 1, N, H), null),
                "expected h0 of shape (numLayers=2, N=3, hiddenSize=5)", "got (1, 3, 5)");
        assertMessage(() -> lstm.forward(randn(r, T, N, F), null, randn(r, 2, 4, H)),
                "expected c0 of shape (numLayers=2, N=3, hiddenSize=5)");
        GRU gru = new GRU(F, H, RNNOptions.defaults().batchFirst(true), r);
        assertMessage(() -> gru.forward(randn(r, N, T, 3)), "GRU", "(N, T, inputSize=2) (batchFirst=true)");
        assertMessage(() -> gru.forward(randn(r, T, F)), "unsqueeze(0)");
        RNN rnn = new RNN(F, H, r);
        assertMessage(() -> rnn.forward(randn(r, T, N, F), randn(r, N, H)), "RNN: expected h0 of shape (numLayers=1");
        assertMessage(() -> rnn.forward(new Variable(NDArray.zeros(0, N, F))), "non-empty");
        assertMessage(() -> RNNOptions.defaults().numLayers(0), "numLayers must be at least 1");
    }
}
