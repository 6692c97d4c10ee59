package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Dropout between stacked recurrent layers, PyTorch's {@code dropout} argument: off in evaluation
 * mode and with p = 0 (bitwise the dropout-free result), in training an inverted-dropout mask on
 * the output of every layer but the last, drawn from the module's own seeded generator.
 */
class RNNDropoutTest {
    private static final int T = 4;
    private static final int N = 3;
    private static final int F = 2;
    private static final int H = 5;

    private static Variable randn(long seed, int... shape) {
        return new Variable(NDArray.randn(new Random(seed), shape));
    }

    private static void assertSameResults(Variable[] want, Variable[] got, String what) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i].data(), got[i].data(), what + ", result " + i);
        }
    }

    @Test
    void evalModeZeroPAndOneLayerAreBitwiseTheDropoutFreeResult() {
        Variable x = randn(1, T, N, F);
        RNNOptions bi2 = RNNOptions.defaults().numLayers(2).bidirectional(true);
        Variable[] plain = new LSTM(F, H, bi2, new Random(3)).run(x);
        LSTM evalMode = new LSTM(F, H, bi2.dropout(0.5), new Random(3));
        evalMode.eval();
        assertSameResults(plain, evalMode.run(x), "p=0.5 in eval mode");
        LSTM zero = new LSTM(F, H, bi2.dropout(0.0), new Random(3));
        assertTrue(zero.isTraining());
        assertSameResults(plain, zero.run(x), "p=0 in training mode");
        // one layer: nothing lies between layers, so dropout has no effect (PyTorch warns; Nabla accepts it)
        RNNOptions one = RNNOptions.defaults().dropout(0.9);
        assertSameResults(new GRU(F, H, new Random(4)).run(x), new GRU(F, H, one, new Random(4)).run(x), "one layer");
    }

    /**
     * The generator the module draws its masks from: seeded by the one nextLong() that follows its
     * weights, replayed here by building the same layer without dropout (which draws only the weights).
     */
    private static Random maskGenerator(long seed, BiFunction<RNNOptions, Random, RNNBase> make, RNNOptions withDropout) {
        Random twin = new Random(seed);
        make.apply(withDropout.dropout(0.0), twin);
        return new Random(twin.nextLong());
    }

    /** Inverted-dropout factors over (T, N, width) in row-major order, as Functional.dropout draws them. */
    private static NDArray mask(Random g, double p, int width) {
        double[] m = new double[T * N * width];
        for (int i = 0; i < m.length; i++) {
            m[i] = g.nextDouble() < p ? 0.0 : 1.0 / (1.0 - p);
        }
        return NDArray.of(m, T, N, width);
    }

    @Test
    void trainingMultipliesEveryLayerOutputButTheLastByAMask() {
        double p = 0.4;
        BiFunction<RNNOptions, Random, RNNBase> make = (o, r) -> new RNN(F, H, o, r);
        RNNOptions opts = RNNOptions.defaults().numLayers(3).dropout(p);
        RNN rnn = (RNN) make.apply(opts, new Random(5));
        Random g = maskGenerator(5, make, opts);
        NDArray[] masks = {mask(g, p, H), mask(g, p, H)};
        assertTrue(masks[0].min(null, false).item() == 0.0, "some elements are dropped");
        Variable x = randn(6, T, N, F);
        RNNOutput out = rnn.forward(x, null);
        List<Variable> in = RNNBidirectionalTest.steps(x);
        Variable[] last = new Variable[3];
        for (int l = 0; l < 3; l++) {
            Variable h = new Variable(NDArray.zeros(N, H));
            for (int t = 0; t < T; t++) {
                h = Functional.rnnCell(in.get(t), h, rnn.weightIh(l), rnn.weightHh(l), rnn.biasIh(l), rnn.biasHh(l),
                        RNNCell.Nonlinearity.TANH);
                in.set(t, l < 2 ? h.mul(Variable.constant(masks[l].getItem(Index.at(t)))) : h);
            }
            last[l] = h;
        }
        for (int t = 0; t < T; t++) {
            assertEquals(in.get(t).data(), out.output().data().getItem(Index.at(t)), "top output (not dropped) at step " + t);
        }
        for (int l = 0; l < 3; l++) {
            assertEquals(last[l].data(), out.h().data().getItem(Index.at(l)), "h_n of layer " + l + " is the undropped state");
        }
    }

    @Test
    void bidirectionalDropsTheConcatenatedOutput() {
        double p = 0.3;
        BiFunction<RNNOptions, Random, RNNBase> make = (o, r) -> new LSTM(F, H, o, r);
        RNNOptions opts = RNNOptions.defaults().numLayers(2).bidirectional(true).dropout(p);
        RNNBase lstm = make.apply(opts, new Random(7));
        Random g = maskGenerator(7, make, opts);
        NDArray[] masks = {mask(g, p, 2 * H)};
        Variable x = randn(8, T, N, F);
        Variable[] init = {new Variable(NDArray.zeros(4, N, H)), new Variable(NDArray.zeros(4, N, H))};
        RNNBidirectionalTest.Loop ref = RNNBidirectionalTest.loop(lstm, RNNBidirectionalTest.LSTM_CELL,
                RNNBidirectionalTest.steps(x), init, masks);
        Variable[] out = lstm.run(x);
        for (int t = 0; t < T; t++) {
            assertEquals(ref.outputs().get(t).data(), out[0].data().getItem(Index.at(t)), "step " + t);
        }
        for (int slot = 0; slot < 4; slot++) {
            assertEquals(ref.finals()[0][slot].data(), out[1].data().getItem(Index.at(slot)), "h_n " + slot);
            assertEquals(ref.finals()[1][slot].data(), out[2].data().getItem(Index.at(slot)), "c_n " + slot);
        }
    }

    @Test
    void sameSeedSameMasksAndEachCallDrawsAFreshOne() {
        RNNOptions o = RNNOptions.defaults().numLayers(2).dropout(0.5);
        Variable x = randn(9, T, N, F);
        GRU a = new GRU(F, H, o, new Random(10));
        GRU b = new GRU(F, H, o, new Random(10));
        NDArray first = a.forward(x).data();
        assertEquals(first, b.forward(x).data(), "same seed, same masks, bitwise the same output");
        assertNotEquals(first, a.forward(x).data(), "the next call draws new masks");
        a.eval();
        assertNotEquals(first, a.forward(x).data(), "training output differs from evaluation output");
        assertEquals(new GRU(F, H, o.dropout(0), new Random(10)).forward(x).data(), a.forward(x).data(), "eval: no dropout");
    }

    @Test
    void pOneCutsTheInputOffTheUpperLayers() {
        GRU gru = new GRU(F, H, RNNOptions.defaults().numLayers(2).dropout(1.0), new Random(11));
        // the second layer reads zeros whatever x is, so its output is that of a zero input
        assertEquals(gru.forward(randn(12, T, N, F)).data(), gru.forward(randn(13, T, N, F)).data());
    }

    @Test
    void probabilityOutsideZeroOneIsRefusedWithPyTorchsMessage() {
        for (double p : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RNNOptions.defaults().dropout(p));
            assertTrue(e.getMessage().contains("dropout should be a number in range [0, 1] representing the probability of "
                    + "an element being zeroed, got " + p), e.getMessage());
        }
        assertEquals(1.0, RNNOptions.defaults().dropout(1.0).dropout());
    }
}
