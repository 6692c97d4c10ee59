package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Truncated backpropagation through time: cutting the carried state every k steps bounds the
 * graph (no gradient reaches anything used before the cut), and training that way still learns.
 */
class RNNTruncatedBPTTTest {

    /** Global-norm gradient clipping (a local helper; the optim module has the real one). Returns the norm before. */
    static double clipGradNorm(List<Parameter> params, double maxNorm) {
        double sq = 0;
        for (Parameter p : params) {
            if (p.grad() != null) {
                NDArray g = p.grad().data();
                sq += g.mul(g).sum().item();
            }
        }
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            double scale = maxNorm / (norm + 1e-12);
            for (Parameter p : params) {
                if (p.grad() != null) {
                    p.setGrad(new Variable(p.grad().data().mul(scale)));
                }
            }
        }
        return norm;
    }

    private static List<NDArray> grads(Module m) {
        List<NDArray> g = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            g.add(p.grad() == null ? null : p.grad().data());
        }
        return g;
    }

    private enum Cut { UNCHAIN_BACKWARD, DETACH }

    private static void checkCut(Cut cut) {
        Random r = new Random(1);
        RNN rnn = new RNN(2, 3, RNNOptions.defaults().numLayers(2), r);
        Variable early = new Variable(NDArray.randn(r, 4, 2, 2), true); // steps 0-3
        Variable late = new Variable(NDArray.randn(r, 4, 2, 2), true);  // steps 4-7
        NDArray v = NDArray.randn(r, 4, 2, 3);

        Variable h = rnn.forward(early, null).h();
        NDArray cutValue = h.data();
        if (cut == Cut.UNCHAIN_BACKWARD) {
            h.unchainBackward();
            assertTrue(h.isLeaf());
        } else {
            h = h.detach();
        }
        rnn.forward(late, h).output().mul(new Variable(v)).sum().backward();
        assertNull(early.grad(), "no gradient may flow past the cut into the early inputs");
        assertNotNull(late.grad());
        List<NDArray> truncated = grads(rnn);

        // the same gradient as a fresh run started from the cut state's value as a constant
        rnn.zeroGrad();
        Variable late2 = new Variable(late.data(), true);
        rnn.forward(late2, new Variable(cutValue)).output().mul(new Variable(v)).sum().backward();
        List<NDArray> fresh = grads(rnn);
        for (int i = 0; i < fresh.size(); i++) {
            // equal up to summation order (an unchained state is a leaf that requires grad, which adds nodes)
            assertTrue(fresh.get(i).allClose(truncated.get(i), 1e-12, 1e-14),
                    "parameter " + i + ": only uses after the cut contribute");
        }
        assertTrue(late2.grad().data().allClose(late.grad().data(), 1e-12, 1e-14));

        // while the untruncated graph gives the early parameter uses their share
        rnn.zeroGrad();
        Variable hFull = rnn.forward(new Variable(early.data()), null).h();
        rnn.forward(new Variable(late.data()), hFull).output().mul(new Variable(v)).sum().backward();
        List<NDArray> full = grads(rnn);
        assertFalse(full.get(1).allClose(truncated.get(1), 1e-6, 1e-9), "weight_hh_l0 must differ");
    }

    @Test
    void unchainBackwardBoundsTheGraph() {
        checkCut(Cut.UNCHAIN_BACKWARD);
    }

    @Test
    void detachBoundsTheGraph() {
        checkCut(Cut.DETACH);
    }

    @Test
    void carryingAnUncutStateAcrossBackwardsFailsNamingRetainGraph() {
        Random r = new Random(2);
        GRU gru = new GRU(1, 2, r);
        RNNOutput a = gru.forward(new Variable(NDArray.randn(r, 3, 1, 1)), null);
        a.output().sum().backward();
        RNNOutput b = gru.forward(new Variable(NDArray.randn(r, 3, 1, 1)), a.h());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.output().sum().backward());
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void clipGradNormScalesToTheMaximumAndKeepsDirection() {
        Parameter a = new Parameter(NDArray.zeros(2));
        Parameter b = new Parameter(NDArray.zeros(1));
        a.setGrad(new Variable(NDArray.of(3.0, 0.0)));
        b.setGrad(new Variable(NDArray.of(4.0)));
        assertEquals(5.0, clipGradNorm(List.of(a, b), 1.0), 1e-15);
        assertEquals(0.6, a.grad().data().get(0), 1e-12);
        assertEquals(0.8, b.grad().data().get(0), 1e-12);
        assertEquals(1.0, clipGradNorm(List.of(a, b), 2.0), 1e-12);
        assertEquals(0.6, a.grad().data().get(0), 1e-12, "below the maximum nothing changes");
    }

    /**
     * One long stream of a sine, fed to an LSTM in chunks of k = 8 steps with the state carried
     * and cut between chunks; SGD with global-norm clipping must bring the next-value error down
     * (measured: 0.38 over the first ten chunks, 0.00095 over the last ten; asserted: below 2%).
     */
    @Test
    void trainingWithTruncatedBpttStillLearns() {
        Random r = new Random(3);
        int k = 8;
        int n = 4; // four phase-shifted streams in parallel
        int chunks = 160;
        LSTM lstm = new LSTM(1, 8, r);
        Parameter wy = new Parameter(NDArray.uniform(r, -0.3, 0.3, 8, 1));
        Parameter by = new Parameter(NDArray.zeros(1));
        List<Parameter> params = new ArrayList<>(lstm.parameters());
        params.add(wy);
        params.add(by);
        LSTMState state = null;
        double first = 0;
        double last = 0;
        for (int c = 0; c < chunks; c++) {
            double[] xs = new double[k * n];
            double[] ys = new double[k * n];
            for (int t = 0; t < k; t++) {
                for (int i = 0; i < n; i++) {
                    double time = (c * k + t) * 0.25 + i * 1.3;
                    xs[t * n + i] = Math.sin(time);
                    ys[t * n + i] = Math.sin(time + 0.25);
                }
            }
            LSTMOutput out = lstm.forward(new Variable(NDArray.of(xs, k, n, 1)), state);
            Variable pred = out.output().reshape(k * n, 8).matmul(wy).add(by);
            Variable loss = Functional.mseLoss(pred, new Variable(NDArray.of(ys, k * n, 1)));
            for (Parameter p : params) {
                p.clearGrad();
            }
            loss.backward();
            clipGradNorm(params, 1.0);
            for (Parameter p : params) {
                p.data().addInPlace(p.grad().data(), -0.3);
            }
            state = out.state().detach();
            if (c < 10) {
                first += loss.item() / 10;
            } else if (c >= chunks - 10) {
                last += loss.item() / 10;
            }
        }
        assertTrue(first > 0.2, "the untrained error should be about the signal's variance: " + first);
        assertTrue(last < 0.02 * first, "loss " + first + " -> " + last);
    }
}
