package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.F;
import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.GradGradCheck;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link MultiheadAttention}: PyTorch's parameter names, shapes and initialization; the output
 * against a direct per-head loop; batch_first and unbatched layouts; key-padding and attention
 * masks (true = masked); head-averaged weights; gradient checks of inputs and parameters.
 */
class MultiheadAttentionTest {

    /**
     * The reference for one batch element of {@code (L, E)} query and {@code (S, E)} key/value:
     * project with the rows of in_proj, attend head by head with a direct loop over keys whose
     * {@code masked[i][j]} is false, concatenate, apply out_proj. Returns output {@code [L][E]}
     * and, per head, weights {@code [H][L][S]}.
     */
    static double[][][] reference(MultiheadAttention m, double[][] q, double[][] k, double[][] v, boolean[][] masked) {
        int e = m.embedDim();
        int h = m.numHeads();
        int d = e / h;
        NDArray w = m.inProjWeight().data();
        NDArray b = m.inProjBias().data();
        double[][] qp = project(q, w, b, 0, e);
        double[][] kp = project(k, w, b, e, e);
        double[][] vp = project(v, w, b, 2 * e, e);
        int l = q.length;
        int s = k.length;
        double[][] concat = new double[l][e];
        double[][][] weights = new double[h + 1][][];
        for (int head = 0; head < h; head++) {
            weights[head] = new double[l][s];
            for (int i = 0; i < l; i++) {
                double[] score = new double[s];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += qp[i][head * d + c] * kp[j][head * d + c];
                    }
                    score[j] = dot / Math.sqrt(d);
                    if (masked == null || !masked[i][j]) {
                        max = Math.max(max, score[j]);
                    }
                }
                double z = 0;
                for (int j = 0; j < s; j++) {
                    weights[head][i][j] = masked != null && masked[i][j] ? 0 : Math.exp(score[j] - max);
                    z += weights[head][i][j];
                }
                for (int j = 0; j < s; j++) {
                    weights[head][i][j] /= z;
                    for (int c = 0; c < d; c++) {
                        concat[i][head * d + c] += weights[head][i][j] * vp[j][head * d + c];
                    }
                }
            }
        }
        weights[h] = project(concat, m.outProj().weight().data(), m.outProj().bias().data(), 0, e);
        return weights;
    }

    /** {@code x W[rows r0..r0+n)ᵀ + b[r0..r0+n)} by loops. */
    static double[][] project(double[][] x, NDArray w, NDArray b, int r0, int n) {
        double[][] out = new double[x.length][n];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < n; o++) {
                double s = b.getFlat(r0 + o);
                for (int c = 0; c < x[i].length; c++) {
                    s += x[i][c] * w.get(r0 + o, c);
                }
                out[i][o] = s;
            }
        }
        return out;
    }

    static double[][] rows(NDArray a) {
        double[][] out = new double[a.shape(0)][a.shape(1)];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = a.get(i, j);
            }
        }
        return out;
    }

    /** A module with random (not zero) biases, so that the bias paths are exercised. */
    static MultiheadAttention mha(int e, int h, boolean batchFirst, long seed) {
        Random r = new Random(seed);
        MultiheadAttention m = new MultiheadAttention(e, h, 0.0, true, batchFirst, r);
        m.inProjBias().data().copyFrom(NDArray.randn(r, 3 * e));
        m.outProj().bias().data().copyFrom(NDArray.randn(r, e));
        return m;
    }

    @Test
    void stateDictHasPyTorchKeysAndShapes() {
        MultiheadAttention m = new MultiheadAttention(8, 2, new Random(0));
        Map<String, NDArray> sd = m.stateDict();
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"), List.copyOf(sd.keySet()));
        assertArrayEquals(new int[] {24, 8}, sd.get("in_proj_weight").shape());
        assertArrayEquals(new int[] {24}, sd.get("in_proj_bias").shape());
        assertArrayEquals(new int[] {8, 8}, sd.get("out_proj.weight").shape());
        assertArrayEquals(new int[] {8}, sd.get("out_proj.bias").shape());
        MultiheadAttention noBias = new MultiheadAttention(8, 2, 0.0, false, false, new Random(0));
        assertEquals(List.of("in_proj_weight", "out_proj.weight"), List.copyOf(noBias.stateDict().keySet()));
        // a state dict with PyTorch's keys loads strictly into a fresh module
        MultiheadAttention other = new MultiheadAttention(8, 2, new Random(1));
        other.loadStateDict(sd, true);
        assertArrayEquals(sd.get("in_proj_weight").toArray(), other.inProjWeight().data().toArray());
    }

    @Test
    void initializationIsPyTorchs() {
        int e = 16;
        MultiheadAttention m = new MultiheadAttention(e, 4, new Random(2));
        double bound = Math.sqrt(6.0 / (e + 3 * e)); // xavier_uniform on (3E, E): fan_in E, fan_out 3E
        double max = 0;
        for (double w : m.inProjWeight().data().toArray()) {
            max = Math.max(max, Math.abs(w));
        }
        assertTrue(max <= bound && max > 0.9 * bound, "max |w| " + max + " vs bound " + bound);
        assertArrayEquals(new double[3 * e], m.inProjBias().data().toArray());
        assertArrayEquals(new double[e], m.outProj().bias().data().toArray());
        double outBound = 1 / Math.sqrt(e); // Linear's default kaiming_uniform(a=√5)
        for (double w : m.outProj().weight().data().toArray()) {
            assertTrue(Math.abs(w) <= outBound);
        }
    }

    @Test
    void matchesThePerHeadLoopWithWeights() {
        MultiheadAttention m = mha(4, 2, false, 3);
        Random r = new Random(4);
        int l = 3;
        int s = 5;
        int n = 2;
        NDArray q = NDArray.randn(r, l, n, 4);
        NDArray k = NDArray.randn(r, s, n, 4);
        NDArray v = NDArray.randn(r, s, n, 4);
        MultiheadAttention.Output out = m.apply(MultiheadAttention.Input.of(new Variable(q), new Variable(k), new Variable(v))
                .withAverageAttnWeights(false));
        assertArrayEquals(new int[] {l, n, 4}, out.output().shape());
        assertArrayEquals(new int[] {n, 2, l, s}, out.weights().shape());
        MultiheadAttention.Output avg = m.apply(MultiheadAttention.Input.of(new Variable(q), new Variable(k), new Variable(v)));
        assertArrayEquals(new int[] {n, l, s}, avg.weights().shape());
        for (int b = 0; b < n; b++) {
            double[][][] ref = reference(m, rows(q.transpose(0, 1).get0(b)), rows(k.transpose(0, 1).get0(b)),
                    rows(v.transpose(0, 1).get0(b)), null);
            for (int i = 0; i < l; i++) {
                for (int c = 0; c < 4; c++) {
                    assertEquals(ref[2][i][c], out.output().data().get(i, b, c), 1e-12);
                }
                for (int j = 0; j < s; j++) {
                    for (int head = 0; head < 2; head++) {
                        assertEquals(ref[head][i][j], out.weights().data().get(b, head, i, j), 1e-12);
                    }
                    assertEquals((ref[0][i][j] + ref[1][i][j]) / 2, avg.weights().data().get(b, i, j), 1e-12);
                }
            }
        }
    }

    @Test
    void selfAttentionFusedProjectionEqualsSeparateInputs() {
        MultiheadAttention m = mha(6, 3, true, 5);
        NDArray x = NDArray.randn(new Random(6), 2, 4, 6);
        Variable a = new Variable(x);
        NDArray fused = m.apply(MultiheadAttention.Input.self(a)).output().data();
        NDArray separate = m.apply(MultiheadAttention.Input.of(new Variable(x), new Variable(x), new Variable(x))).output()
                .data();
        assertTrue(fused.allClose(separate, 0, 1e-13));
        assertArrayEquals(fused.toArray(), m.selfAttention(a).data().toArray());
    }

    @Test
    void batchFirstAndUnbatchedLayoutsAgree() {
        MultiheadAttention seqFirst = mha(4, 2, false, 7);
        MultiheadAttention batchFirst = new MultiheadAttention(4, 2, 0.0, true, true, new Random(99));
        batchFirst.loadStateDict(seqFirst.stateDict(), true);
        Random r = new Random(8);
        NDArray q = NDArray.randn(r, 2, 3, 4); // (N, L, E)
        NDArray k = NDArray.randn(r, 2, 5, 4);
        MultiheadAttention.Output bf = batchFirst.apply(MultiheadAttention.Input.of(new Variable(q), new Variable(k),
                new Variable(k)));
        MultiheadAttention.Output sf = seqFirst.apply(MultiheadAttention.Input.of(new Variable(q.transpose(0, 1)),
                new Variable(k.transpose(0, 1)), new Variable(k.transpose(0, 1))));
        assertTrue(bf.output().data().allClose(sf.output().data().transpose(0, 1), 0, 1e-13));
        assertTrue(bf.weights().data().allClose(sf.weights().data(), 0, 1e-13));
        MultiheadAttention.Output one = seqFirst.apply(MultiheadAttention.Input.of(new Variable(q.get0(1)),
                new Variable(k.get0(1)), new Variable(k.get0(1))));
        assertArrayEquals(new int[] {3, 4}, one.output().shape());
        assertArrayEquals(new int[] {3, 5}, one.weights().shape());
        assertTrue(one.output().data().allClose(bf.output().data().get0(1), 0, 1e-13));
        assertTrue(one.weights().data().allClose(bf.weights().data().get0(1), 0, 1e-13));
    }

    @Test
    void keyPaddingMaskTrueMeansIgnoreThatKey() {
        MultiheadAttention m = mha(4, 2, true, 9);
        Random r = new Random(10);
        NDArray q = NDArray.randn(r, 2, 3, 4);
        NDArray k = NDArray.randn(r, 2, 4, 4);
        boolean[] pad = {false, false, true, true, false, false, false, true}; // batch 0 pads keys 2, 3; batch 1 key 3
        Variable mask = Variable.constant(NDArray.of(pad, 2, 4));
        MultiheadAttention.Output out = m.apply(MultiheadAttention.Input.of(new Variable(q), new Variable(k), new Variable(k))
                .withKeyPaddingMask(mask).withAverageAttnWeights(false));
        for (int b = 0; b < 2; b++) {
            boolean[][] masked = new boolean[3][4];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    masked[i][j] = pad[b * 4 + j];
                }
            }
            double[][][] ref = reference(m, rows(q.get0(b)), rows(k.get0(b)), rows(k.get0(b)), masked);
            for (int i = 0; i < 3; i++) {
                for (int c = 0; c < 4; c++) {
                    assertEquals(ref[2][i][c], out.output().data().get(b, i, c), 1e-12);
                }
                for (int j = 0; j < 4; j++) {
                    assertEquals(ref[0][i][j], out.weights().data().get(b, 0, i, j), 1e-12);
                }
            }
        }
        // the same as a float mask of -inf on the padded keys
        double[] f = new double[8];
        for (int i = 0; i < 8; i++) {
            f[i] = pad[i] ? Double.NEGATIVE_INFINITY : 0;
        }
        NDArray viaFloat = m.apply(MultiheadAttention.Input.of(new Variable(q), new Variable(k), new Variable(k))
                .withKeyPaddingMask(Variable.constant(NDArray.of(f, 2, 4)))).output().data();
        assertTrue(viaFloat.allClose(out.output().data(), 0, 1e-14));
    }

    @Test
    void attnMaskTrueMeansNotAllowedAndCausalFlagEqualsTheSubsequentMask() {
        MultiheadAttention m = mha(4, 2, true, 11);
        NDArray x = NDArray.randn(new Random(12), 2, 4, 4);
        NDArray upper = Attention.causalMask(4, 4).logicalNot(); // true above the diagonal: not allowed
        Variable xv = new Variable(x);
        MultiheadAttention.Output viaBool = m.apply(MultiheadAttention.Input.self(xv).withAttnMask(Variable.constant(upper)));
        MultiheadAttention.Output viaFloat = m.apply(MultiheadAttention.Input.self(xv)
                .withAttnMask(Variable.constant(Attention.squareSubsequentMask(4))));
        MultiheadAttention.Output viaFlag = m.apply(MultiheadAttention.Input.self(xv).withCausal(true));
        assertTrue(viaBool.output().data().allClose(viaFloat.output().data(), 0, 1e-14));
        assertTrue(viaBool.output().data().allClose(viaFlag.output().data(), 0, 1e-14));
        for (int b = 0; b < 2; b++) {
            double[][][] ref = reference(m, rows(x.get0(b)), rows(x.get0(b)), rows(x.get0(b)),
                    new boolean[][] {{false, true, true, true}, {false, false, true, true}, {false, false, false, true},
                        {false, false, false, false}});
            for (int i = 0; i < 4; i++) {
                for (int c = 0; c < 4; c++) {
                    assertEquals(ref[2][i][c], viaFlag.output().data().get(b, i, c), 1e-12);
                }
            }
        }
        // a per-(batch, head) mask (N*H, L, S): mask everything but key 0 for batch 1, head 0 only
        boolean[] m3 = new boolean[4 * 4 * 4];
        for (int i = 0; i < 4; i++) {
            for (int j = 1; j < 4; j++) {
                m3[2 * 16 + i * 4 + j] = true; // index 2 = batch 1, head 0
            }
        }
        MultiheadAttention.Output per = m.apply(MultiheadAttention.Input.self(xv)
                .withAttnMask(Variable.constant(NDArray.of(m3, 4, 4, 4))).withAverageAttnWeights(false));
        for (int i = 0; i < 4; i++) {
            assertEquals(1.0, per.weights().data().get(1, 0, i, 0), 1e-15);
            assertTrue(per.weights().data().get(1, 1, i, 1) > 0);
            assertTrue(per.weights().data().get(0, 0, i, 1) > 0);
        }
    }

    @Test
    void needWeightsFalseGivesNoWeights() {
        MultiheadAttention m = new MultiheadAttention(4, 1, new Random(0));
        Variable x = new Variable(NDArray.randn(new Random(1), 3, 1, 4));
        assertNull(m.apply(MultiheadAttention.Input.self(x).withNeedWeights(false)).weights());
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(6, 4, new Random(0)));
        MultiheadAttention m = new MultiheadAttention(4, 2, new Random(0));
        Variable x = new Variable(NDArray.zeros(3, 2, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.apply(MultiheadAttention.Input.self(x).withKeyPaddingMask(Variable.constant(NDArray.zeros(3, 3)))));
        assertTrue(e.getMessage().contains("key_padding_mask") && e.getMessage().contains("(2, 3)"), e.getMessage());
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> m.apply(MultiheadAttention.Input.self(x).withAttnMask(Variable.constant(NDArray.zeros(2, 3)))));
        assertTrue(a.getMessage().contains("attn_mask"), a.getMessage());
        Variable wrongE = new Variable(NDArray.zeros(3, 2, 5));
        assertThrows(IllegalArgumentException.class, () -> m.selfAttention(wrongE));
        assertThrows(UnsupportedOperationException.class, () -> m.forward(x));
    }

    @Test
    void gradientsOfInputsFirstAndSecondOrder() {
        MultiheadAttention m = mha(4, 2, true, 13);
        Random r = new Random(14);
        NDArray q = NDArray.randn(r, 2, 3, 4);
        NDArray k = NDArray.randn(r, 2, 2, 4);
        NDArray v = NDArray.randn(r, 2, 2, 4);
        java.util.function.Function<Variable[], Variable> f = x -> {
            MultiheadAttention.Output o = m.apply(MultiheadAttention.Input.of(x[0], x[1], x[2]));
            return F.concat(-1, o.output(), o.weights());
        };
        GradCheck.check(f, q, k, v).orThrow();
        GradGradCheck.check(f, q, k, v).orThrow();
    }

    @Test
    void gradientsOfEveryParameterWithMasks() {
        MultiheadAttention m = mha(4, 2, false, 15);
        Random r = new Random(16);
        NDArray x = NDArray.randn(r, 3, 2, 4);
        NDArray target = NDArray.randn(r, 3, 2, 4);
        Variable pad = Variable.constant(NDArray.of(new boolean[] {false, false, true, false, false, false}, 2, 3));
        GradCheck.checkParameters(() -> m.apply(MultiheadAttention.Input.self(new Variable(x)).withKeyPaddingMask(pad)
                .withCausal(true)).output().sub(new Variable(target)).square().sum(), m.namedParameters()).orThrow();
    }
}
