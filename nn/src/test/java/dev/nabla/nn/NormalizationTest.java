package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** BatchNorm1d, BatchNorm2d and LayerNorm. */
class NormalizationTest {
    private static final double EPS = 1e-5;

    @Test
    void batchNorm1dKnownAnswerAndRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2);
        // channel 0: {1, 3} mean 2, biased var 1, unbiased 2; channel 1: {2, 6} mean 4, biased var 4, unbiased 8
        NDArray x = NDArray.of(new double[][] {{1, 2}, {3, 6}});
        NDArray y = bn.forward(new Variable(x)).data();
        double a = 1 / Math.sqrt(1 + EPS);
        double b = 2 / Math.sqrt(4 + EPS);
        assertArrayEquals(new double[] {-a, -b, a, b}, y.toArray(), 1e-14);
        assertArrayEquals(new double[] {0.2, 0.4}, bn.runningMean().toArray(), 1e-15);
        assertArrayEquals(new double[] {0.9 + 0.2, 0.9 + 0.8}, bn.runningVar().toArray(), 1e-15);
        assertEquals(1, bn.numBatchesTracked());
    }

    @Test
    void runningStatisticsConvergeGeometricallyWithMomentum() {
        BatchNorm1d bn = new BatchNorm1d(2, EPS, 0.25, true);
        NDArray x = NDArray.of(new double[][] {{1, 2}, {3, 6}, {5, 10}});
        for (int k = 0; k < 10; k++) {
            bn.forward(new Variable(x));
        }
        double keep = Math.pow(0.75, 10);
        // mean (3, 6), unbiased var (4, 16)
        assertArrayEquals(new double[] {3 * (1 - keep), 6 * (1 - keep)}, bn.runningMean().toArray(), 1e-12);
        assertArrayEquals(new double[] {keep + 4 * (1 - keep), keep + 16 * (1 - keep)}, bn.runningVar().toArray(), 1e-12);
        assertEquals(10, bn.numBatchesTracked());
    }

    @Test
    void evalUsesRunningStatisticsAndLeavesThemAlone() {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.runningMean().copyFrom(NDArray.of(1, 2, 3));
        bn.runningVar().copyFrom(NDArray.of(4, 9, 16));
        bn.weight().data().copyFrom(NDArray.of(2, 2, 2));
        bn.bias().data().copyFrom(NDArray.of(0.5, 0.5, 0.5));
        bn.eval();
        // a single sample is fine in eval mode
        NDArray y = bn.forward(new Variable(NDArray.of(new double[][] {{3, 5, 7}}))).data();
        assertArrayEquals(new double[] {2 * 2 / Math.sqrt(4 + EPS) + 0.5, 2 * 3 / Math.sqrt(9 + EPS) + 0.5,
            2 * 4 / Math.sqrt(16 + EPS) + 0.5}, y.toArray(), 1e-14);
        assertArrayEquals(new double[] {1, 2, 3}, bn.runningMean().toArray(), 0);
        assertEquals(0, bn.numBatchesTracked());
    }

    @Test
    void affineParametersScaleAndShift() {
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.weight().data().copyFrom(NDArray.of(2, -1));
        bn.bias().data().copyFrom(NDArray.of(3, 0));
        NDArray y = bn.forward(new Variable(NDArray.of(new double[][] {{1, 2}, {3, 6}}))).data();
        double a = 1 / Math.sqrt(1 + EPS);
        double b = 2 / Math.sqrt(4 + EPS);
        assertArrayEquals(new double[] {3 - 2 * a, b, 3 + 2 * a, -b}, y.toArray(), 1e-14);
        BatchNorm1d plain = new BatchNorm1d(2, EPS, 0.1, false);
        assertTrue(plain.parameters().isEmpty());
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"), List.copyOf(plain.stateDict().keySet()));
    }

    /** Per-channel statistics computed with plain loops, independently of the layer. */
    private static double[][] channelStats(NDArray x) {
        int[] s = x.shape();
        int c = s[1];
        int inner = x.size() / (s[0] * c);
        double[][] out = new double[3][c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            int count = 0;
            for (int n = 0; n < s[0]; n++) {
                for (int k = 0; k < inner; k++) {
                    sum += x.getFlat((n * c + ch) * inner + k);
                    count++;
                }
            }
            double mean = sum / count;
            double sq = 0;
            for (int n = 0; n < s[0]; n++) {
                for (int k = 0; k < inner; k++) {
                    double d = x.getFlat((n * c + ch) * inner + k) - mean;
                    sq += d * d;
                }
            }
            out[0][ch] = mean;
            out[1][ch] = sq / count;
            out[2][ch] = sq / (count - 1);
        }
        return out;
    }

    private static void assertMatchesLoops(Module bn, NDArray x) {
        double[][] st = channelStats(x);
        NDArray y = bn.forward(new Variable(x)).data();
        int[] s = x.shape();
        int c = s[1];
        int inner = x.size() / (s[0] * c);
        for (int i = 0; i < x.size(); i++) {
            int ch = (i / inner) % c;
            assertEquals((x.getFlat(i) - st[0][ch]) / Math.sqrt(st[1][ch] + EPS), y.getFlat(i), 1e-12);
        }
        BatchNormBase b = (BatchNormBase) bn;
        for (int ch = 0; ch < c; ch++) {
            assertEquals(0.1 * st[0][ch], b.runningMean().getFlat(ch), 1e-14);
            assertEquals(0.9 + 0.1 * st[2][ch], b.runningVar().getFlat(ch), 1e-14);
        }
    }

    @Test
    void batchNorm2dNormalizesPerChannelOverBatchAndSpace() {
        assertMatchesLoops(new BatchNorm2d(3), NDArray.randn(new Random(1), 4, 3, 5, 2).mul(3).add(1));
    }

    @Test
    void batchNorm1dAcceptsSequences() {
        assertMatchesLoops(new BatchNorm1d(3), NDArray.randn(new Random(2), 2, 3, 4).mul(2).sub(5));
    }

    @Test
    void batchNormErrorsNameTheProblem() {
        BatchNorm1d bn = new BatchNorm1d(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bn.forward(new Variable(NDArray.zeros(1, 3))));
        assertTrue(e.getMessage().contains("more than 1 value per channel") && e.getMessage().contains("(1, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bn.forward(new Variable(NDArray.zeros(4, 5))));
        assertTrue(e.getMessage().contains("expected 3 channels") && e.getMessage().contains("(4, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bn.forward(new Variable(NDArray.zeros(2, 3, 4, 4))));
        assertTrue(e.getMessage().contains("2D (N, C) or 3D (N, C, L)") && e.getMessage().contains("4D"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(new Variable(NDArray.zeros(2, 3))));
        assertTrue(e.getMessage().contains("BatchNorm2d: expected 4D"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3, EPS, 1.5, true));
        assertTrue(e.getMessage().contains("momentum"), e.getMessage());
    }

    @Test
    void layerNormKnownAnswerAndNoModeDependence() {
        LayerNorm ln = new LayerNorm(4);
        NDArray x = NDArray.of(new double[][] {{1, 2, 3, 4}, {-2, -2, 2, 2}});
        double s1 = Math.sqrt(1.25 + EPS);
        double s2 = Math.sqrt(4 + EPS);
        double[] expected = {-1.5 / s1, -0.5 / s1, 0.5 / s1, 1.5 / s1, -2 / s2, -2 / s2, 2 / s2, 2 / s2};
        assertArrayEquals(expected, ln.forward(new Variable(x)).data().toArray(), 1e-14);
        ln.eval();
        assertArrayEquals(expected, ln.forward(new Variable(x)).data().toArray(), 1e-14);
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.namedParameters().keySet()));
    }

    @Test
    void layerNormOverTwoTrailingAxesAndShapeErrors() {
        LayerNorm ln = new LayerNorm(2, 3);
        NDArray x = NDArray.randn(new Random(3), 4, 2, 3);
        NDArray y = ln.forward(new Variable(x)).data();
        for (int n = 0; n < 4; n++) {
            NDArray row = y.getItem(dev.nabla.ndarray.Index.at(n));
            assertEquals(0.0, row.mean().item(), 1e-12);
            assertEquals(1.0, row.var(null, false, 0).item(), 1e-3); // eps shifts it slightly below 1
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ln.forward(new Variable(NDArray.zeros(4, 3, 2))));
        assertTrue(e.getMessage().contains("normalized_shape=[2, 3]") && e.getMessage().contains("(*, 2, 3)")
                && e.getMessage().contains("(4, 3, 2)"), e.getMessage());
    }

    @Property(tries = 25)
    void batchNormFunctionalFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 3, max = 5) int n,
                                                @ForAll @IntRange(min = 1, max = 3) int c) {
        Random r = new Random(seed);
        Checks.firstAndSecondOrder(v -> Functional.batchNorm(v[0], v[1], v[2], EPS),
                Checks.randn(r, n, c), Checks.randn(r, c), Checks.randn(r, c));
    }

    @Property(tries = 20)
    void batchNorm2dModuleFirstAndSecondOrderInBothModes(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int n,
                                                         @ForAll @IntRange(min = 1, max = 2) int c) {
        Random r = new Random(seed);
        NDArray x = Checks.randn(r, n + 1, c, 2, 2);
        NDArray g = Checks.randn(r, c);
        NDArray b = Checks.randn(r, c);
        Checks.firstAndSecondOrder(v -> Functional.batchNorm(v[0], v[1], v[2], EPS), x, g, b);
        BatchNorm2d bn = new BatchNorm2d(c);
        Checks.firstAndSecondOrder(v -> bn.forward(v[0]), x);
        Checks.moduleParameterGradients(bn, x, seed);
        bn.eval();
        Checks.firstAndSecondOrder(v -> bn.forward(v[0]).square(), x);
        Checks.moduleParameterGradients(bn, x, seed);
    }

    @Property(tries = 20)
    void batchNorm1dSequenceModuleGradients(@ForAll long seed, @ForAll @IntRange(min = 2, max = 3) int n) {
        Random r = new Random(seed);
        NDArray x = Checks.randn(r, n, 2, 3);
        BatchNorm1d bn = new BatchNorm1d(2);
        Checks.firstAndSecondOrder(v -> bn.forward(v[0]), x);
        Checks.moduleParameterGradients(bn, x, seed);
    }

    @Property(tries = 25)
    void layerNormFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int n,
                                      @ForAll @IntRange(min = 2, max = 4) int d) {
        Random r = new Random(seed);
        Checks.firstAndSecondOrder(v -> Functional.layerNorm(v[0], new int[] {d}, v[1], v[2], EPS),
                Checks.randn(r, n, d), Checks.randn(r, d), Checks.randn(r, d));
        LayerNorm ln = new LayerNorm(new int[] {2, d}, EPS, true);
        ln.weight().data().copyFrom(Checks.randn(r, 2, d));
        NDArray x = Checks.randn(r, n, 2, d);
        Checks.firstAndSecondOrder(v -> ln.forward(v[0]), x);
        Checks.moduleParameterGradients(ln, x, seed);
    }
}
