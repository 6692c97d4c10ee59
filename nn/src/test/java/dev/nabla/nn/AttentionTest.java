package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.GradGradCheck;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Attention#scaledDotProductAttention}: a two-token case worked out by hand, a direct loop
 * as the independent reference for batched inputs with every mask kind, the causal mask, fully
 * masked rows, dropout, errors, and first- and second-order gradient checks.
 */
class AttentionTest {

    /**
     * The reference: for each batch element, query i, {@code softmax_j(scale · q_i·k_j)} over the
     * keys {@code allowed[i][j]} (plus {@code bias[i][j]}), then the weighted sum of the values.
     * Rows with no allowed key give 0. Inputs are (B, L, E), (B, S, E), (B, S, Ev).
     */
    static double[][][] reference(double[][][] q, double[][][] k, double[][][] v, boolean[][][] allowed,
                                  double[][][] bias, double scale) {
        int b = q.length;
        int l = q[0].length;
        int s = k[0].length;
        int ev = v[0][0].length;
        double[][][] out = new double[b][l][ev];
        for (int n = 0; n < b; n++) {
            for (int i = 0; i < l; i++) {
                double[] score = new double[s];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    double dot = 0;
                    for (int e = 0; e < q[n][i].length; e++) {
                        dot += q[n][i][e] * k[n][j][e];
                    }
                    score[j] = dot * scale + (bias == null ? 0 : bias[n][i][j]);
                    if (allowed == null || allowed[n][i][j]) {
                        max = Math.max(max, score[j]);
                    }
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    continue; // a fully masked row: zeros
                }
                double z = 0;
                double[] w = new double[s];
                for (int j = 0; j < s; j++) {
                    w[j] = allowed == null || allowed[n][i][j] ? Math.exp(score[j] - max) : 0;
                    z += w[j];
                }
                for (int j = 0; j < s; j++) {
                    for (int c = 0; c < ev; c++) {
                        out[n][i][c] += w[j] / z * v[n][j][c];
                    }
                }
            }
        }
        return out;
    }

    static double[][][] nested(NDArray a) {
        int[] s = a.shape();
        double[][][] out = new double[s[0]][s[1]][s[2]];
        for (int i = 0; i < s[0]; i++) {
            for (int j = 0; j < s[1]; j++) {
                for (int c = 0; c < s[2]; c++) {
                    out[i][j][c] = a.get(i, j, c);
                }
            }
        }
        return out;
    }

    static void assertNested(double[][][] expected, NDArray actual, double tol) {
        assertEquals(expected.length, actual.shape(0));
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                for (int c = 0; c < expected[i][j].length; c++) {
                    assertEquals(expected[i][j][c], actual.get(i, j, c), tol, "element (" + i + ", " + j + ", " + c + ")");
                }
            }
        }
    }

    private static Variable var(NDArray a) {
        return new Variable(a);
    }

    @Test
    void twoTokensByHand() {
        // q0 = (1, 0) sees k0 = (1, 0) and k1 = (1, 1) with equal scores 1/√2: weights 1/2, 1/2
        // q1 = (0, 1) scores 0 and 1/√2: weight of k1 is σ(1/√2)
        NDArray q = NDArray.of(new double[] {1, 0, 0, 1}, 2, 2);
        NDArray k = NDArray.of(new double[] {1, 0, 1, 1}, 2, 2);
        NDArray v = NDArray.of(new double[] {1, 2, 3, 4}, 2, 2);
        NDArray out = Attention.scaledDotProductAttention(var(q), var(k), var(v)).data();
        double w1 = 1 / (1 + Math.exp(-1 / Math.sqrt(2)));
        assertArrayEquals(new int[] {2, 2}, out.shape());
        assertArrayEquals(new double[] {2, 3, 1 + 2 * w1, 2 + 2 * w1}, out.toArray(), 1e-12);
    }

    @Test
    void twoTokensCausal() {
        // causal: query 0 sees key 0 only, so its output is v0; query 1 is as without the mask
        NDArray q = NDArray.of(new double[] {1, 0, 0, 1}, 2, 2);
        NDArray k = NDArray.of(new double[] {1, 0, 1, 1}, 2, 2);
        NDArray v = NDArray.of(new double[] {1, 2, 3, 4}, 2, 2);
        NDArray out = Attention.scaledDotProductAttention(var(q), var(k), var(v), null, true).data();
        double w1 = 1 / (1 + Math.exp(-1 / Math.sqrt(2)));
        assertArrayEquals(new double[] {1, 2, 1 + 2 * w1, 2 + 2 * w1}, out.toArray(), 1e-12);
    }

    @Test
    void batchedMatchesTheDirectLoop() {
        Random r = new Random(1);
        NDArray q = NDArray.randn(r, 3, 4, 5);
        NDArray k = NDArray.randn(r, 3, 6, 5);
        NDArray v = NDArray.randn(r, 3, 6, 2);
        NDArray out = Attention.scaledDotProductAttention(var(q), var(k), var(v)).data();
        assertArrayEquals(new int[] {3, 4, 2}, out.shape());
        assertNested(reference(nested(q), nested(k), nested(v), null, null, 1 / Math.sqrt(5)), out, 1e-12);
        NDArray scaled = Attention.scaledDotProductAttention(var(q), var(k), var(v), null, 0, false, 0.3, false, null)
                .data();
        assertNested(reference(nested(q), nested(k), nested(v), null, null, 0.3), scaled, 1e-12);
    }

    @Test
    void boolMaskTrueTakesPartAndFloatMaskIsAdded() {
        Random r = new Random(2);
        NDArray q = NDArray.randn(r, 2, 3, 4);
        NDArray k = NDArray.randn(r, 2, 5, 4);
        NDArray v = NDArray.randn(r, 2, 5, 3);
        boolean[][][] allowed = new boolean[2][3][5];
        boolean[] flat = new boolean[30];
        double[][][] bias = new double[2][3][5];
        double[] flatBias = new double[30];
        for (int i = 0; i < 30; i++) {
            flat[i] = r.nextInt(3) != 0 || i % 5 == 0; // every row keeps key 0
            allowed[i / 15][i / 5 % 3][i % 5] = flat[i];
            flatBias[i] = r.nextGaussian();
            bias[i / 15][i / 5 % 3][i % 5] = flatBias[i];
        }
        NDArray mask = NDArray.of(flat, 2, 3, 5);
        double scale = 1 / Math.sqrt(4);
        NDArray out = Attention.scaledDotProductAttention(var(q), var(k), var(v), Variable.constant(mask), false).data();
        assertNested(reference(nested(q), nested(k), nested(v), allowed, null, scale), out, 1e-12);
        NDArray fout = Attention.scaledDotProductAttention(var(q), var(k), var(v),
                Variable.constant(NDArray.of(flatBias, 2, 3, 5)), false).data();
        assertNested(reference(nested(q), nested(k), nested(v), null, bias, scale), fout, 1e-12);
        // a float mask of 0 / -inf is the same as the bool mask
        NDArray additive = NDArray.where(mask, NDArray.scalar(0.0), NDArray.scalar(Double.NEGATIVE_INFINITY));
        NDArray aout = Attention.scaledDotProductAttention(var(q), var(k), var(v), Variable.constant(additive), false)
                .data();
        assertTrue(out.allClose(aout, 0, 1e-14));
    }

    @Test
    void maskBroadcastsOverBatchAndHeads() {
        Random r = new Random(3);
        NDArray q = NDArray.randn(r, 2, 3, 4, 2); // (N, H, L, E)
        NDArray k = NDArray.randn(r, 2, 3, 4, 2);
        NDArray v = NDArray.randn(r, 2, 3, 4, 2);
        NDArray tril = Attention.causalMask(4, 4);
        NDArray viaMask = Attention.scaledDotProductAttention(var(q), var(k), var(v), Variable.constant(tril), false).data();
        NDArray viaFlag = Attention.scaledDotProductAttention(var(q), var(k), var(v), null, true).data();
        NDArray viaFloat = Attention.scaledDotProductAttention(var(q), var(k), var(v),
                Variable.constant(Attention.squareSubsequentMask(4)), false).data();
        assertTrue(viaMask.allClose(viaFlag, 0, 1e-14));
        assertTrue(viaFloat.allClose(viaFlag, 0, 1e-14));
        boolean[][][] allowed = new boolean[6][4][4];
        for (int b = 0; b < 6; b++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j <= i; j++) {
                    allowed[b][i][j] = true;
                }
            }
        }
        double[][][] expected = reference(nested(q.reshape(6, 4, 2)), nested(k.reshape(6, 4, 2)),
                nested(v.reshape(6, 4, 2)), allowed, null, 1 / Math.sqrt(2));
        assertNested(expected, viaFlag.reshape(6, 4, 2), 1e-12);
    }

    @Test
    void causalMaskIsTopLeftAlignedForUnequalLengths() {
        NDArray m = Attention.causalMask(2, 4);
        assertArrayEquals(new boolean[] {true, false, false, false, true, true, false, false}, m.toBooleanArray());
        NDArray s = Attention.squareSubsequentMask(3);
        double inf = Double.NEGATIVE_INFINITY;
        assertArrayEquals(new double[] {0, inf, inf, 0, 0, inf, 0, 0, 0}, s.toArray());
    }

    @Test
    void causalOutputIgnoresLaterKeys() {
        Random r = new Random(4);
        NDArray q = NDArray.randn(r, 5, 3);
        NDArray k = NDArray.randn(r, 5, 3);
        NDArray v = NDArray.randn(r, 5, 3);
        NDArray out = Attention.scaledDotProductAttention(var(q), var(k), var(v), null, true).data();
        NDArray k2 = k.copy().set(9.0, 4, 0);
        NDArray v2 = v.copy().set(-7.0, 4, 1);
        NDArray out2 = Attention.scaledDotProductAttention(var(q), var(k2), var(v2), null, true).data();
        assertTrue(out.slice(0, 0, 4).allClose(out2.slice(0, 0, 4), 0, 0), "rows 0..3 never see key 4");
        assertNotEquals(out.get(4, 1), out2.get(4, 1));
    }

    @Test
    void fullyMaskedRowsGiveZerosAndFiniteGradients() {
        Random r = new Random(5);
        NDArray q = NDArray.randn(r, 3, 2);
        NDArray k = NDArray.randn(r, 4, 2);
        NDArray v = NDArray.randn(r, 4, 2);
        boolean[] m = new boolean[12];
        for (int j = 0; j < 4; j++) {
            m[j] = true;   // row 0 sees every key
            m[8 + j] = j == 2; // row 2 sees key 2 only; row 1 sees none
        }
        Variable qv = new Variable(q, true);
        Variable kv = new Variable(k, true);
        Variable vv = new Variable(v, true);
        Attention.Result res = Attention.attention(qv, kv, vv, Variable.constant(NDArray.of(m, 3, 4)), 0, false, null,
                false, null);
        NDArray out = res.output().data();
        assertArrayEquals(new double[] {0, 0}, out.getItem(dev.nabla.ndarray.Index.at(1)).toArray());
        assertArrayEquals(v.getItem(dev.nabla.ndarray.Index.at(2)).toArray(), out.getItem(dev.nabla.ndarray.Index.at(2))
                .toArray(), 1e-15);
        assertArrayEquals(new double[] {0, 0, 0, 0}, res.weights().data().getItem(dev.nabla.ndarray.Index.at(1)).toArray());
        res.output().sum().backward();
        for (Variable x : new Variable[] {qv, kv, vv}) {
            for (double g : x.grad().data().toArray()) {
                assertTrue(Double.isFinite(g), "gradient " + x.grad());
            }
        }
        assertArrayEquals(new double[] {0, 0}, qv.grad().data().getItem(dev.nabla.ndarray.Index.at(1)).toArray());
    }

    @Test
    void dropoutIsSeededAndOnlyInTraining() {
        Random r = new Random(6);
        NDArray q = NDArray.randn(r, 2, 4, 3);
        NDArray k = NDArray.randn(r, 2, 4, 3);
        NDArray v = NDArray.randn(r, 2, 4, 3);
        NDArray plain = Attention.scaledDotProductAttention(var(q), var(k), var(v)).data();
        NDArray eval = Attention.scaledDotProductAttention(var(q), var(k), var(v), null, 0.5, false, null, false,
                new Random(1)).data();
        assertTrue(plain.allClose(eval, 0, 0), "no dropout outside training");
        Attention.Result a = Attention.attention(var(q), var(k), var(v), null, 0.5, false, null, true, new Random(7));
        Attention.Result b = Attention.attention(var(q), var(k), var(v), null, 0.5, false, null, true, new Random(7));
        assertArrayEquals(a.output().data().toArray(), b.output().data().toArray(), "same seed, same result");
        // each weight is 0 or twice the undropped weight, and the output is the dropped weights times v
        NDArray clean = Attention.attention(var(q), var(k), var(v), null, 0, false, null, false, null).weights().data();
        double[] w = a.weights().data().toArray();
        double[] c = clean.toArray();
        int zeros = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0) {
                zeros++;
            } else {
                assertEquals(2 * c[i], w[i], 1e-15);
            }
        }
        assertTrue(zeros > 0 && zeros < w.length, zeros + " of " + w.length + " dropped");
        assertTrue(a.weights().data().matmul(v).allClose(a.output().data(), 0, 1e-14));
        NDArray all = Attention.scaledDotProductAttention(var(q), var(k), var(v), null, 1.0, false, null, true,
                new Random(1)).data();
        assertArrayEquals(new double[all.size()], all.toArray());
    }

    @Test
    void badInputsAreNamed() {
        Variable q = var(NDArray.zeros(2, 3));
        Variable k = var(NDArray.zeros(4, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProductAttention(q, k, k));
        assertTrue(e.getMessage().contains("scaled_dot_product_attention") && e.getMessage().contains("(2, 3)"),
                e.getMessage());
        Variable k3 = var(NDArray.zeros(4, 3));
        Variable v5 = var(NDArray.zeros(5, 3));
        assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProductAttention(q, k3, v5));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProductAttention(q, k3, k3, Variable.constant(Attention.causalMask(2, 4)), true));
        assertTrue(both.getMessage().contains("is_causal"), both.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProductAttention(q, k3, k3, Variable.constant(Attention.causalMask(3, 4)), false));
        assertTrue(shape.getMessage().contains("(3, 4)"), shape.getMessage());
        Variable intMask = Variable.constant(NDArray.zeros(2, 4).astype(DType.INT64));
        assertThrows(IllegalArgumentException.class, () -> Attention.scaledDotProductAttention(q, k3, k3, intMask, false));
        assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProductAttention(q, k3, k3, null, 0.5, false, null, true, null));
        assertThrows(IllegalArgumentException.class,
                () -> Attention.scaledDotProductAttention(q, k3, k3, null, 1.5, false, null, false, null));
    }

    @Test
    void gradientsOfQueryKeyValueAndFloatMask() {
        Random r = new Random(8);
        NDArray q = NDArray.randn(r, 2, 3, 2);
        NDArray k = NDArray.randn(r, 2, 4, 2);
        NDArray v = NDArray.randn(r, 2, 4, 3);
        NDArray bias = NDArray.randn(r, 3, 4);
        GradCheck.check(x -> Attention.scaledDotProductAttention(x[0], x[1], x[2], x[3], false), q, k, v, bias).orThrow();
        GradGradCheck.check(x -> Attention.scaledDotProductAttention(x[0], x[1], x[2], x[3], false), q, k, v, bias)
                .orThrow();
        NDArray sq = NDArray.randn(r, 4, 2);
        NDArray sk = NDArray.randn(r, 4, 2);
        NDArray sv = NDArray.randn(r, 4, 2);
        GradCheck.check(x -> Attention.scaledDotProductAttention(x[0], x[1], x[2], null, true), sq, sk, sv).orThrow();
        GradGradCheck.check(x -> Attention.scaledDotProductAttention(x[0], x[1], x[2], null, true), sq, sk, sv).orThrow();
    }
}
