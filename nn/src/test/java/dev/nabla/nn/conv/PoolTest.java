package dev.nabla.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.GradGradCheck;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Max, average and global average pooling: agreement with direct loops, adjointness of the
 * backward pairs, first- and second-order gradient checks, known answers and errors. Max-pooling
 * inputs have distinct values at least 0.1 apart, so no window has a tie.
 */
class PoolTest {

    @Provide
    Arbitrary<ConvCase> cases() {
        return ConvCase.pool();
    }

    private static int[] k(ConvCase c) {
        return new int[] {c.kh, c.kw};
    }

    private static int[] s(ConvCase c) {
        return new int[] {c.sh, c.sw};
    }

    private static int[] p(ConvCase c) {
        return new int[] {c.ph, c.pw};
    }

    private static Function<Variable[], Variable> max(ConvCase c) {
        return v -> PoolFunctions.maxPool2d(v[0], k(c), s(c), p(c));
    }

    private static Function<Variable[], Variable> avg(ConvCase c) {
        return v -> PoolFunctions.avgPool2d(v[0], k(c), s(c), p(c));
    }

    // ------------------------------------------------------------------ max pooling

    @Property(tries = 30)
    void maxPoolMatchesDirectLoops(@ForAll("cases") ConvCase c) {
        NDArray x = c.input();
        NDArray got = max(c).apply(new Variable[] {new Variable(x)}).data();
        assertTrue(got.allClose(Direct.pool(x, true, c.kh, c.kw, c.sh, c.sw, c.ph, c.pw), 0, 0), c.toString());
    }

    @Property(tries = 30)
    void maxPoolFirstOrder(@ForAll("cases") ConvCase c) {
        GradCheck.check(max(c), c.distinctInput()).orThrow();
    }

    @Property(tries = 20)
    void maxPoolSecondOrder(@ForAll("cases") ConvCase c) {
        // squared after pooling, so the second derivative is not identically zero
        Function<Variable[], Variable> f = v -> max(c).apply(v).square();
        GradGradCheck.check(max(c), c.distinctInput()).orThrow();
        GradGradCheck.check(f, c.distinctInput()).orThrow();
    }

    /** Each output's gradient lands on the input holding its window's maximum, found independently by value. */
    @Property(tries = 20)
    void maxPoolGradientLandsOnTheArgmax(@ForAll("cases") ConvCase c) {
        MaxPool2dNode node = new MaxPool2dNode(c.geometry("MaxPool2d"));
        Variable x = new Variable(c.distinctInput(), true);
        Variable y = node.apply(x);
        NDArray gy = NDArray.randn(new Random(c.seed + 1), y.shape());
        Variable gx = dev.nabla.autograd.Autograd.grad(new Variable[] {y}, new Variable[] {x},
                new Variable[] {new Variable(gy)}, false)[0];
        // gradient of <y, gy> w.r.t. x: every gy value lands on the arg-max of its window
        NDArray z = NDArray.randn(new Random(c.seed + 2), x.shape());
        double lhs = Direct.dot(gx.data(), z);
        double rhs = 0;
        NDArray xv = x.data();
        // <scatter(gy), z> = sum over outputs of gy[o] * z[argmax(o)]; find argmax(o) by value
        NDArray pooled = y.data();
        for (int o = 0; o < pooled.size(); o++) {
            for (int i = 0; i < xv.size(); i++) {
                if (xv.getFlat(i) == pooled.getFlat(o) && sameWindowPlane(i, o, c)) {
                    rhs += gy.getFlat(o) * z.getFlat(i);
                }
            }
        }
        assertEquals(rhs, lhs, 1e-12 * (1 + Math.abs(rhs)));
    }

    /**
     * {@code <gather(x), y> == <x, scatter(y)>} for a random index map (with repeats): the backward
     * pair is adjoint; and both nodes pass first- and second-order checks.
     */
    @Property(tries = 20)
    void scatterAndGatherAreAdjointAndDifferentiable(@ForAll("cases") ConvCase c) {
        Random r = new Random(c.seed);
        int outputs = c.n * c.c * c.oh() * c.ow();
        int[] index = new int[outputs];
        for (int i = 0; i < outputs; i++) {
            index[i] = r.nextInt(c.n * c.c * c.h * c.w);
        }
        int[] outShape = {c.n, c.c, c.oh(), c.ow()};
        NDArray x = c.input();
        NDArray y = NDArray.randn(r, outShape);
        double lhs = Direct.dot(new PoolGatherNode(index, outShape).apply(new Variable(x)).data(), y);
        double rhs = Direct.dot(x, new PoolScatterNode(index, x.shape()).apply(new Variable(y)).data());
        assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)));
        // each node's backward (the other node) through first- and second-order checks
        Function<Variable[], Variable> gather = v -> new PoolGatherNode(index, outShape).apply(v[0]).square();
        Function<Variable[], Variable> scatter = v -> new PoolScatterNode(index, x.shape()).apply(v[0]).square();
        GradCheck.check(gather, x).orThrow();
        GradGradCheck.check(gather, x).orThrow();
        GradCheck.check(scatter, y).orThrow();
        GradGradCheck.check(scatter, y).orThrow();
    }

    private static boolean sameWindowPlane(int flatIn, int flatOut, ConvCase c) {
        return flatIn / (c.h * c.w) == flatOut / (c.oh() * c.ow());
    }

    @Test
    void maxPoolByHandRoutesGradientToTheMaxima() {
        NDArray x = NDArray.of(new double[] {
            1, 5, 2, 0,
            3, 4, 8, 6,
            0, -1, 7, 9,
            2, 1, 3, -2}, 1, 1, 4, 4);
        Variable v = new Variable(x, true);
        Variable y = PoolFunctions.maxPool2d(v, 2);
        assertArrayEquals(new double[] {5, 8, 2, 9}, y.data().toArray());
        y.backward(new Variable(NDArray.of(new double[] {10, 20, 30, 40}, 1, 1, 2, 2)));
        assertArrayEquals(new double[] {
            0, 10, 0, 0,
            0, 0, 20, 0,
            0, 0, 0, 40,
            30, 0, 0, 0}, v.grad().data().toArray());
    }

    @Test
    void maxPoolPaddingNeverWins() {
        // all values negative: with zero padding the border outputs would wrongly be 0
        NDArray x = NDArray.of(new double[] {-1, -2, -3, -4}, 1, 1, 2, 2);
        Variable y = PoolFunctions.maxPool2d(new Variable(x), new int[] {2}, new int[] {1}, new int[] {1});
        assertArrayEquals(new double[] {-1, -1, -2, -1, -1, -2, -3, -3, -4}, y.data().toArray());
    }

    /** NaN wins over numbers and stays once found, with and without padding (PyTorch's behaviour). */
    @Test
    void maxPoolPropagatesNaN() {
        double nan = Double.NaN;
        NDArray x = NDArray.of(new double[] {
            nan, 5, 1, 2,
            3, 4, 8, nan,
            0, 1, 7, 9,
            2, 1, 3, -2}, 1, 1, 4, 4);
        Variable v = new Variable(x, true);
        Variable y = PoolFunctions.maxPool2d(v, 2);
        double[] got = y.data().toArray();
        assertTrue(Double.isNaN(got[0]) && Double.isNaN(got[1]), java.util.Arrays.toString(got));
        assertEquals(2, got[2]);
        assertEquals(9, got[3]);
        // the gradient of each NaN window goes to its NaN
        y.backward(new Variable(NDArray.of(new double[] {10, 20, 30, 40}, 1, 1, 2, 2)));
        double[] g = v.grad().data().toArray();
        assertEquals(10, g[0]);
        assertEquals(20, g[7]);
        // padded windows: a NaN at the corner is the max of the four windows that contain it
        Variable padded = PoolFunctions.maxPool2d(new Variable(NDArray.of(new double[] {1, 2, 3, nan}, 1, 1, 2, 2)),
                new int[] {2}, new int[] {1}, new int[] {1});
        double[] p = padded.data().toArray();
        assertArrayEquals(new double[] {1, 2, 2, 3}, new double[] {p[0], p[1], p[2], p[3]});
        assertTrue(Double.isNaN(p[4]) && Double.isNaN(p[5]) && Double.isNaN(p[7]) && Double.isNaN(p[8]));
        assertEquals(3, p[6]);
    }

    /** On ties the first maximum in row-major order takes the gradient, with and without padding. */
    @Test
    void maxPoolTiesGoToTheFirstMaximum() {
        NDArray x = NDArray.of(new double[] {
            4, 4,
            4, 4}, 1, 1, 2, 2);
        Variable v = new Variable(x, true);
        PoolFunctions.maxPool2d(v, 2).backward(new Variable(NDArray.of(new double[] {1}, 1, 1, 1, 1)));
        assertArrayEquals(new double[] {1, 0, 0, 0}, v.grad().data().toArray());
        Variable u = new Variable(x, true);
        // stride 1, padding 1: nine windows; each sends 1 to its first real tap
        PoolFunctions.maxPool2d(u, new int[] {2}, new int[] {1}, new int[] {1})
                .backward(new Variable(NDArray.ones(1, 1, 3, 3)));
        assertArrayEquals(new double[] {4, 2, 2, 1}, u.grad().data().toArray());
    }

    /**
     * The 2×2, stride-2 path (LeNet's) picks the same tap as a row-major scan on inputs full of
     * ties, signed zeros and NaNs: the first maximum, or the first NaN; the output is that tap's
     * value bit for bit, and the gradient goes to it.
     */
    @Property(tries = 50)
    void twoByTwoPoolingPicksTheFirstMaximumOrNaN(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(2);
        int c = 1 + r.nextInt(2);
        int oh = 1 + r.nextInt(3);
        int ow = 1 + r.nextInt(3);
        double[] choices = {-1.0, -0.0, 0.0, 1.0, 2.0, Double.NaN};
        double[] v = new double[n * c * 2 * oh * 2 * ow];
        for (int i = 0; i < v.length; i++) {
            v[i] = choices[r.nextInt(r.nextBoolean() ? choices.length : choices.length - 1)];
        }
        NDArray x = NDArray.of(v, n, c, 2 * oh, 2 * ow);
        Variable xv = new Variable(x, true);
        Variable y = PoolFunctions.maxPool2d(xv, 2);
        double[] gy = new double[n * c * oh * ow];
        for (int k = 0; k < gy.length; k++) {
            gy[k] = k + 1;
        }
        y.backward(new Variable(NDArray.of(gy, n, c, oh, ow)));
        double[] expectedGrad = new double[v.length];
        int w = 2 * ow;
        int k = 0;
        for (int p = 0; p < n * c; p++) {
            for (int yy = 0; yy < oh; yy++) {
                for (int xx = 0; xx < ow; xx++, k++) {
                    int top = p * 4 * oh * ow + 2 * yy * w + 2 * xx;
                    int[] taps = {top, top + 1, top + w, top + w + 1};
                    int best = taps[0];
                    for (int t : taps) { // the reference: first NaN, else first strict maximum
                        if (Double.isNaN(v[best])) {
                            break;
                        }
                        if (Double.isNaN(v[t]) || v[t] > v[best]) {
                            best = t;
                        }
                    }
                    assertEquals(Double.doubleToRawLongBits(v[best]), Double.doubleToRawLongBits(y.data().getFlat(k)),
                            "window " + k + " of " + java.util.Arrays.toString(v));
                    expectedGrad[best] += gy[k];
                }
            }
        }
        assertArrayEquals(expectedGrad, xv.grad().data().toArray());
    }

    @Test
    void overlappingMaxPoolAccumulatesGradientOfASharedMaximum() {
        // 1x3 row with kernel (1,2) stride 1: the middle 9 is the max of both windows
        NDArray x = NDArray.of(new double[] {1, 9, 2}, 1, 1, 1, 3);
        Variable v = new Variable(x, true);
        Variable y = PoolFunctions.maxPool2d(v, new int[] {1, 2}, new int[] {1}, new int[] {0});
        assertArrayEquals(new double[] {9, 9}, y.data().toArray());
        y.backward(new Variable(NDArray.of(new double[] {1.5, 2.5}, 1, 1, 1, 2)));
        assertArrayEquals(new double[] {0, 4, 0}, v.grad().data().toArray());
    }

    // ------------------------------------------------------------------ average pooling

    @Property(tries = 30)
    void avgPoolMatchesDirectLoops(@ForAll("cases") ConvCase c) {
        NDArray x = c.input();
        NDArray got = avg(c).apply(new Variable[] {new Variable(x)}).data();
        assertTrue(got.allClose(Direct.pool(x, false, c.kh, c.kw, c.sh, c.sw, c.ph, c.pw), 1e-12, 1e-12), c.toString());
    }

    @Property(tries = 30)
    void avgPoolAdjointIsExact(@ForAll("cases") ConvCase c) {
        ConvGeometry g = c.geometry("AvgPool2d");
        NDArray x = c.input();
        NDArray y = NDArray.randn(new Random(c.seed + 9), c.n, c.c, c.oh(), c.ow());
        double lhs = Direct.dot(new AvgPool2dNode(g).apply(new Variable(x)).data(), y);
        double rhs = Direct.dot(x, new AvgPool2dAdjointNode(g, x.shape()).apply(new Variable(y)).data());
        assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)));
    }

    @Property(tries = 30)
    void avgPoolFirstOrder(@ForAll("cases") ConvCase c) {
        GradCheck.check(avg(c), c.input()).orThrow();
    }

    @Property(tries = 20)
    void avgPoolSecondOrder(@ForAll("cases") ConvCase c) {
        Function<Variable[], Variable> f = v -> avg(c).apply(v).square();
        GradGradCheck.check(avg(c), c.input()).orThrow();
        GradGradCheck.check(f, c.input()).orThrow();
    }

    @Test
    void avgPoolByHand() {
        NDArray x = NDArray.of(new double[] {
            1, 5, 2, 0,
            3, 4, 8, 6,
            0, -1, 7, 9,
            2, 1, 3, -2}, 1, 1, 4, 4);
        Variable v = new Variable(x, true);
        Variable y = PoolFunctions.avgPool2d(v, 2);
        assertArrayEquals(new double[] {13 / 4.0, 16 / 4.0, 2 / 4.0, 17 / 4.0}, y.data().toArray());
        y.backward(new Variable(NDArray.of(new double[] {4, 8, 12, 16}, 1, 1, 2, 2)));
        assertArrayEquals(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, v.grad().data().toArray());
    }

    @Test
    void avgPoolCountsPaddingAsZeros() {
        // 2x2 ones padded by 1, kernel 2 stride 2: each window holds one real 1 among 4 cells
        Variable y = PoolFunctions.avgPool2d(new Variable(NDArray.ones(1, 1, 2, 2)), new int[] {2}, new int[] {2},
                new int[] {1});
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, y.data().toArray());
    }

    // ------------------------------------------------------------------ global average pooling

    @Test
    void globalAvgPoolByHand() {
        NDArray x = NDArray.of(new double[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2);
        Variable v = new Variable(x, true);
        Variable y = PoolFunctions.globalAvgPool2d(v, false);
        assertArrayEquals(new int[] {1, 2}, y.shape());
        assertArrayEquals(new double[] {2.5, 25}, y.data().toArray());
        assertArrayEquals(new int[] {1, 2, 1, 1}, PoolFunctions.globalAvgPool2d(v, true).shape());
        y.backward(new Variable(NDArray.of(new double[] {4, 8}, 1, 2)));
        assertArrayEquals(new double[] {1, 1, 1, 1, 2, 2, 2, 2}, v.grad().data().toArray());
    }

    @Property(tries = 20)
    void globalAvgPoolFirstAndSecondOrder(@ForAll("cases") ConvCase c) {
        Function<Variable[], Variable> f = v -> PoolFunctions.globalAvgPool2d(v[0], false);
        Function<Variable[], Variable> sq = v -> PoolFunctions.globalAvgPool2d(v[0], true).square();
        GradCheck.check(f, c.input()).orThrow();
        GradGradCheck.check(sq, c.input()).orThrow();
    }

    // ------------------------------------------------------------------ errors

    @Test
    void paddingLargerThanHalfTheKernelIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolFunctions.maxPool2d(new Variable(NDArray.zeros(1, 1, 4, 4)), new int[] {2}, null, new int[] {2}));
        assertEquals("MaxPool2d: padding should be at most half of the kernel size, but got padding (2, 2) for kernel"
                + " size (2, 2)", e.getMessage());
    }

    @Test
    void poolingNeedsA4dInputAndAWholeOutput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolFunctions.maxPool2d(new Variable(NDArray.zeros(3, 4, 4)), 2));
        assertTrue(e.getMessage().startsWith("MaxPool2d: expected a 4-D input (N, C, H, W), but got a 3-D input"),
                e.getMessage());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> PoolFunctions.avgPool2d(new Variable(NDArray.zeros(1, 1, 5, 4)), 2));
        assertTrue(odd.getMessage().startsWith("AvgPool2d: output height OH = (H + 2P - D(K-1) - 1)/S + 1 = "
                + "(5 + 2*0 - 1*(2-1) - 1)/2 + 1 = 3/2 + 1 = 2.5 is not a whole number"), odd.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PoolFunctions.globalAvgPool2d(new Variable(NDArray.zeros(2, 3)), false));
    }
}
