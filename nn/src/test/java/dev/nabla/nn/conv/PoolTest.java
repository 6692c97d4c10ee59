package dev.nabla.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.GradGradCheck;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Functional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import java.util.Random;
import java.util.function.Function;

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

    @Provide
    Arbitrary<ConvCase> maxCases() {
        return ConvCase.maxPool();
    }

    private static int[] k(ConvCase c) {
        return new int[] {c.kh, c.kw};
    }

    private static Function<Variable[], Variable> max(ConvCase c) {
        return v -> Functional.maxPool2d(v[0], k(c), c.maxOptions());
    }

    private static Function<Variable[], Variable> avg(ConvCase c) {
        return v -> Functional.avgPool2d(v[0], k(c), c.avgOptions());
    }

    // ------------------------------------------------------------------ max pooling

    /** Values and output shape (PyTorch's formula, floor or ceil mode, with dilation) against direct loops. */
    @Property(tries = 60)
    void maxPoolMatchesDirectLoops(@ForAll("maxCases") ConvCase c) {
        NDArray x = c.input();
        NDArray got = max(c).apply(new Variable[] {new Variable(x)}).data();
        assertArrayEquals(new int[] {c.n, c.c, c.oh(), c.ow()}, got.shape(), c.toString());
        assertTrue(got.allClose(Direct.pool(c, x, true), 0, 0), c.toString());
    }

    @Property(tries = 40)
    void maxPoolFirstOrder(@ForAll("maxCases") ConvCase c) {
        GradCheck.check(max(c), c.distinctInput()).orThrow();
    }

    @Property(tries = 30)
    void maxPoolSecondOrder(@ForAll("maxCases") ConvCase c) {
        // squared after pooling, so the second derivative is not identically zero
        Function<Variable[], Variable> f = v -> max(c).apply(v).square();
        GradGradCheck.check(max(c), c.distinctInput()).orThrow();
        GradGradCheck.check(f, c.distinctInput()).orThrow();
    }

    /** Each output's gradient lands on the input holding its window's maximum, found independently by value. */
    @Property(tries = 20)
    void maxPoolGradientLandsOnTheArgmax(@ForAll("maxCases") ConvCase c) {
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
        Variable y = Functional.maxPool2d(v, 2);
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
        Variable y = Functional.maxPool2d(new Variable(x), new int[] {2}, new int[] {1}, new int[] {1});
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
        Variable y = Functional.maxPool2d(v, 2);
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
        Variable padded = Functional.maxPool2d(new Variable(NDArray.of(new double[] {1, 2, 3, nan}, 1, 1, 2, 2)),
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
        Functional.maxPool2d(v, 2).backward(new Variable(NDArray.of(new double[] {1}, 1, 1, 1, 1)));
        assertArrayEquals(new double[] {1, 0, 0, 0}, v.grad().data().toArray());
        Variable u = new Variable(x, true);
        // stride 1, padding 1: nine windows; each sends 1 to its first real tap
        Functional.maxPool2d(u, new int[] {2}, new int[] {1}, new int[] {1})
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
        Variable y = Functional.maxPool2d(xv, 2);
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
        Variable y = Functional.maxPool2d(v, new int[] {1, 2}, new int[] {1}, new int[] {0});
        assertArrayEquals(new double[] {9, 9}, y.data().toArray());
        y.backward(new Variable(NDArray.of(new double[] {1.5, 2.5}, 1, 1, 1, 2)));
        assertArrayEquals(new double[] {0, 4, 0}, v.grad().data().toArray());
    }

    // ------------------------------------------------------------------ average pooling

    /**
     * Values and output shape against direct loops, over floor and ceil mode, countIncludePad on
     * and off, and divisor overrides.
     */
    @Property(tries = 60)
    void avgPoolMatchesDirectLoops(@ForAll("cases") ConvCase c) {
        NDArray x = c.input();
        NDArray got = avg(c).apply(new Variable[] {new Variable(x)}).data();
        assertArrayEquals(new int[] {c.n, c.c, c.oh(), c.ow()}, got.shape(), c.toString());
        assertTrue(got.allClose(Direct.pool(c, x, false), 1e-12, 1e-12), c.toString());
    }

    @Property(tries = 30)
    void avgPoolAdjointIsExact(@ForAll("cases") ConvCase c) {
        ConvGeometry g = c.geometry("AvgPool2d");
        NDArray x = c.input();
        NDArray y = NDArray.randn(new Random(c.seed + 9), c.n, c.c, c.oh(), c.ow());
        double lhs = Direct.dot(new AvgPool2dNode(g, c.countIncludePad, c.divisor).apply(new Variable(x)).data(), y);
        double rhs = Direct.dot(x, new AvgPool2dAdjointNode(g, c.countIncludePad, c.divisor, x.shape())
                .apply(new Variable(y)).data());
        assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)));
    }

    @Property(tries = 40)
    void avgPoolFirstOrder(@ForAll("cases") ConvCase c) {
        GradCheck.check(avg(c), c.input()).orThrow();
    }

    @Property(tries = 30)
    void avgPoolSecondOrder(@ForAll("cases") ConvCase c) {
        Function<Variable[], Variable> f = v -> avg(c).apply(v).square();
        GradGradCheck.check(avg(c), c.input()).orThrow();
        GradGradCheck.check(f, c.input()).orThrow();
    }

    /** The adjoint node on its own (the pooling's backward, and its backward the pooling): first and second order. */
    @Property(tries = 20)
    void avgPoolAdjointFirstAndSecondOrder(@ForAll("cases") ConvCase c) {
        ConvGeometry g = c.geometry("AvgPool2d");
        NDArray y = NDArray.randn(new Random(c.seed + 9), c.n, c.c, c.oh(), c.ow());
        Function<Variable[], Variable> f = v -> new AvgPool2dAdjointNode(g, c.countIncludePad, c.divisor, c.inputShape())
                .apply(v[0]).square();
        GradCheck.check(f, y).orThrow();
        GradGradCheck.check(f, y).orThrow();
    }

    /**
     * The random cases really exercise the new shapes: at least a fifth do not tile the input, a
     * tenth have a ceil-mode window that floor mode would not have, a tenth have a window running
     * past the padded input (a smaller countIncludePad divisor), and a tenth are dilated.
     */
    @Property(tries = 400)
    void casesCoverNonTilingAndCeilModeWindows(@ForAll("maxCases") ConvCase c) {
        long floorOh = Math.floorDiv(c.h + 2 * c.ph - c.dh * (c.kh - 1) - 1, c.sh) + 1;
        long floorOw = Math.floorDiv(c.w + 2 * c.pw - c.dw * (c.kw - 1) - 1, c.sw) + 1;
        boolean tiles = (c.h + 2 * c.ph - c.dh * (c.kh - 1) - 1) % c.sh == 0
                && (c.w + 2 * c.pw - c.dw * (c.kw - 1) - 1) % c.sw == 0;
        boolean ceilAdds = c.oh() > floorOh || c.ow() > floorOw;
        boolean pastPadding = (c.oh() - 1) * c.sh + c.dh * (c.kh - 1) >= c.h + 2 * c.ph
                || (c.ow() - 1) * c.sw + c.dw * (c.kw - 1) >= c.w + 2 * c.pw;
        Statistics.label("tiles").collect(tiles);
        Statistics.label("ceil adds a window").collect(ceilAdds);
        Statistics.label("a window runs past the padding").collect(pastPadding);
        Statistics.label("dilated").collect(c.dh > 1 || c.dw > 1);
        Statistics.label("tiles").coverage(k -> k.check(false).percentage(p -> p >= 20));
        Statistics.label("ceil adds a window").coverage(k -> k.check(true).percentage(p -> p >= 10));
        Statistics.label("a window runs past the padding").coverage(k -> k.check(true).percentage(p -> p >= 10));
        Statistics.label("dilated").coverage(k -> k.check(true).percentage(p -> p >= 10));
    }

    @Test
    void avgPoolByHand() {
        NDArray x = NDArray.of(new double[] {
            1, 5, 2, 0,
            3, 4, 8, 6,
            0, -1, 7, 9,
            2, 1, 3, -2}, 1, 1, 4, 4);
        Variable v = new Variable(x, true);
        Variable y = Functional.avgPool2d(v, 2);
        assertArrayEquals(new double[] {13 / 4.0, 16 / 4.0, 2 / 4.0, 17 / 4.0}, y.data().toArray());
        y.backward(new Variable(NDArray.of(new double[] {4, 8, 12, 16}, 1, 1, 2, 2)));
        assertArrayEquals(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, v.grad().data().toArray());
    }

    @Test
    void avgPoolCountsPaddingAsZeros() {
        // 2x2 ones padded by 1, kernel 2 stride 2: each window holds one real 1 among 4 cells
        Variable y = Functional.avgPool2d(new Variable(NDArray.ones(1, 1, 2, 2)), new int[] {2}, new int[] {2},
                new int[] {1});
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, y.data().toArray());
    }

    // ------------------------------------------------------------------ global average pooling

    @Test
    void globalAvgPoolByHand() {
        NDArray x = NDArray.of(new double[] {1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 2, 2);
        Variable v = new Variable(x, true);
        Variable y = Functional.globalAvgPool2d(v, false);
        assertArrayEquals(new int[] {1, 2}, y.shape());
        assertArrayEquals(new double[] {2.5, 25}, y.data().toArray());
        assertArrayEquals(new int[] {1, 2, 1, 1}, Functional.globalAvgPool2d(v, true).shape());
        y.backward(new Variable(NDArray.of(new double[] {4, 8}, 1, 2)));
        assertArrayEquals(new double[] {1, 1, 1, 1, 2, 2, 2, 2}, v.grad().data().toArray());
    }

    @Property(tries = 20)
    void globalAvgPoolFirstAndSecondOrder(@ForAll("cases") ConvCase c) {
        Function<Variable[], Variable> f = v -> Functional.globalAvgPool2d(v[0], false);
        Function<Variable[], Variable> sq = v -> Functional.globalAvgPool2d(v[0], true).square();
        GradCheck.check(f, c.input()).orThrow();
        GradGradCheck.check(sq, c.input()).orThrow();
    }

    // ------------------------------------------------------------------ errors

    @Test
    void paddingLargerThanHalfTheKernelIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.maxPool2d(new Variable(NDArray.zeros(1, 1, 4, 4)), new int[] {2}, null, new int[] {2}));
        assertEquals("MaxPool2d: padding should be at most half of the kernel size, but got padding (2, 2) for kernel"
                + " size (2, 2)", e.getMessage());
    }

    @Test
    void poolingNeedsA4dInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.maxPool2d(new Variable(NDArray.zeros(3, 4, 4)), 2));
        assertTrue(e.getMessage().startsWith("MaxPool2d: expected a 4-D input (N, C, H, W), but got a 3-D input"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Functional.globalAvgPool2d(new Variable(NDArray.zeros(2, 3)), false));
    }

    /** An output size below 1 is refused in PyTorch's words (pool2d_shape_check), floor mode or ceil mode. */
    @Test
    void tooSmallOutputIsExplainedAsPyTorchDoes() {
        // H = W = 2, K = S = 3: floor((2 - 3)/3) + 1 = -1 + 1 = 0
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.maxPool2d(new Variable(NDArray.zeros(1, 3, 2, 2)), 3));
        assertEquals("MaxPool2d: Given input size: (3x2x2). Calculated output size: (3x0x0). Output size is too small"
                + " (MaxPool2d(kernel=(3, 3), stride=(3, 3), padding=(0, 0), dilation=(1, 1))); use a smaller kernel,"
                + " stride or dilation, more padding, or a larger input", e.getMessage());
        // H = 1, W = 5, kernel (3, 1), stride 1, ceil mode: ceil((1 - 3)/1) + 1 = -1 along the height only
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> Functional.avgPool2d(new Variable(NDArray.zeros(2, 1, 1, 5)), new int[] {3, 1},
                        PoolOptions.defaults().stride(1).ceilMode(true)));
        assertTrue(a.getMessage().startsWith("AvgPool2d: Given input size: (1x1x5). Calculated output size: (1x-1x5)."
                + " Output size is too small (AvgPool2d(kernel=(3, 1), stride=(1, 1), padding=(0, 0), dilation=(1, 1),"
                + " ceil_mode=True))"), a.getMessage());
    }

    /** PoolOptions are values: PyTorch's defaults, withers leave the original alone, arrays are copied in and out. */
    @Test
    void poolOptionsAreImmutableValues() {
        PoolOptions d = PoolOptions.defaults();
        PoolOptions o = d.stride(2).padding(1, 0).dilation(2, 1).ceilMode(true).countIncludePad(false).divisorOverride(-3);
        assertEquals("PoolOptions(stride=kernel, padding=[0], dilation=[1], ceilMode=false, countIncludePad=true,"
                + " divisorOverride=None)", d.toString());
        assertEquals("PoolOptions(stride=[2], padding=[1, 0], dilation=[2, 1], ceilMode=true, countIncludePad=false,"
                + " divisorOverride=-3)", o.toString());
        assertEquals(null, d.stride());
        assertEquals(java.util.OptionalInt.empty(), d.divisorOverride());
        assertEquals(java.util.OptionalInt.of(-3), o.divisorOverride());
        int[] p = {1};
        PoolOptions q = d.padding(p);
        p[0] = 5;
        q.padding()[0] = 7;
        assertArrayEquals(new int[] {1}, q.padding());
        assertArrayEquals(new int[] {0}, d.padding());
        // the same result through the old array form and through options
        Variable x = new Variable(ramp4x4());
        assertArrayEquals(Functional.avgPool2d(x, new int[] {3}, new int[] {1}, new int[] {1}).data().toArray(),
                Functional.avgPool2d(x, new int[] {3}, d.stride(1).padding(1)).data().toArray());
    }

    @Test
    void settingsOfTheOtherPoolingAreRefused() {
        Variable x = new Variable(NDArray.zeros(1, 1, 4, 4));
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> Functional.maxPool2d(x, new int[] {2}, PoolOptions.defaults().countIncludePad(false)));
        assertTrue(m.getMessage().startsWith("MaxPool2d: countIncludePad and divisorOverride are average-pooling"
                + " settings, but got PoolOptions(stride=kernel, padding=[0], dilation=[1], ceilMode=false,"
                + " countIncludePad=false, divisorOverride=None)"), m.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Functional.maxPool2d(x, new int[] {2}, PoolOptions.defaults().divisorOverride(3)));
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> Functional.avgPool2d(x, new int[] {2}, PoolOptions.defaults().dilation(2)));
        assertEquals("AvgPool2d: dilation is not supported (PyTorch's AvgPool2d has none), but got dilation (2, 2);"
                + " leave it at 1", a.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> PoolOptions.defaults().divisorOverride(0));
        assertEquals("PoolOptions: divisorOverride must not be zero (PyTorch: \"divisor must be not zero\"); leave it"
                + " unset to divide by the window size", d.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> Functional.maxPool2d(x, new int[] {2}, PoolOptions.defaults().padding(1, 2)));
        assertEquals("MaxPool2d: padding should be at most half of the kernel size, but got padding (1, 2) for kernel"
                + " size (2, 2)", p.getMessage());
    }

    // ------------------------------------------------------------------ non-tiling windows and ceil mode by hand

    /** x[r][c] = 4r + c on a 4x4 plane. */
    private static NDArray ramp4x4() {
        return NDArray.arange(16).reshape(1, 1, 4, 4);
    }

    /**
     * AvgPool2d(3, stride 2, ceil_mode) on the 4x4 ramp. Floor mode: OH = floor((4 - 3)/2) + 1 = 1.
     * Ceil mode: ceil(1/2) + 1 = 2 and (2-1)*2 = 2 &lt; H + P = 4, so the second window (rows 2..4)
     * stays; PyTorch clips it to the padded input first: pool_size = (min(2+3, 4+0) - 2) = 2 rows.
     * Windows: rows 0-2 / cols 0-2 sum 45, divisor 9 -&gt; 5; rows 0-2 / cols 2-3 sum 39, divisor 6
     * -&gt; 6.5; rows 2-3 / cols 0-2 sum 66, divisor 6 -&gt; 11; rows 2-3 / cols 2-3 sum 50, divisor 4
     * -&gt; 12.5. Backward of ones: each cell receives 1/divisor of every window holding it.
     */
    @Test
    void avgPoolCeilModeOnA4x4RampByHand() {
        Variable x = new Variable(ramp4x4(), true);
        assertArrayEquals(new double[] {5}, Functional.avgPool2d(x, new int[] {3}, PoolOptions.defaults().stride(2))
                .data().toArray());
        Variable y = new dev.nabla.nn.AvgPool2d(3, PoolOptions.defaults().stride(2).ceilMode(true)).forward(x);
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new double[] {5, 6.5, 11, 12.5}, y.data().toArray(), 1e-15);
        y.backward(new Variable(NDArray.ones(1, 1, 2, 2)));
        double a = 1 / 9.0;
        double b = 1 / 6.0;
        double d = 1 / 4.0;
        assertArrayEquals(new double[] {
            a, a, a + b, b,
            a, a, a + b, b,
            a + b, a + b, a + b + b + d, b + d,
            b, b, b + d, d}, x.grad().data().toArray(), 1e-15);
    }

    /**
     * Kernel 3, stride 2, padding 1, ceil mode on the 4x4 ramp: OH = ceil((4 + 2 - 3)/2) + 1 = 3 and
     * (3-1)*2 = 4 &lt; H + P = 5, so three windows per axis, starting at -1, 1, 3. Clipped to the
     * padded input [-1, 5) they hold 3, 3, 2 rows (the countIncludePad divisors); clipped to the
     * input they hold rows {0,1}, {1,2,3}, {3} (2, 3, 1 real rows). Window sums
     * |C|·4·ΣR + |R|·ΣC: 10, 24, 10 / 51, 90, 33 / 25, 42, 15. Floor mode keeps the first two per
     * axis (OH = floor(3/2) + 1 = 2).
     */
    @Test
    void avgPoolDivisorsWithPaddingAndCeilModeByHand() {
        Variable x = new Variable(ramp4x4());
        int[] k = {3};
        PoolOptions o = PoolOptions.defaults().stride(2).padding(1).ceilMode(true);
        assertArrayEquals(new double[] {
            10 / 9.0, 24 / 9.0, 10 / 6.0,
            51 / 9.0, 90 / 9.0, 33 / 6.0,
            25 / 6.0, 42 / 6.0, 15 / 4.0}, Functional.avgPool2d(x, k, o).data().toArray(), 1e-14);
        assertArrayEquals(new double[] {
            10 / 4.0, 24 / 6.0, 10 / 2.0,
            51 / 6.0, 90 / 9.0, 33 / 3.0,
            25 / 2.0, 42 / 3.0, 15 / 1.0}, Functional.avgPool2d(x, k, o.countIncludePad(false)).data().toArray(),
                1e-14);
        assertArrayEquals(new double[] {5, 12, 5, 25.5, 45, 16.5, 12.5, 21, 7.5},
                Functional.avgPool2d(x, k, o.divisorOverride(2)).data().toArray(), 1e-14);
        assertArrayEquals(new double[] {10 / 9.0, 24 / 9.0, 51 / 9.0, 90 / 9.0},
                Functional.avgPool2d(x, k, o.ceilMode(false)).data().toArray(), 1e-14);
    }

    /**
     * Kernel 3, stride 3, padding 1. H = 5: ceil((5 + 2 - 3)/3) + 1 = 3, but (3-1)*3 = 6 &gt;= H + P = 6
     * (the third window would start in the bottom padding), so 2 windows, as in floor mode. H = 6:
     * ceil(5/3) + 1 = 3 and 6 &lt; 7: the third window starts on row 5 and holds one real row and one
     * padding row (its countIncludePad divisor is 2·2 at the corner), where floor mode has 2.
     */
    @Test
    void ceilModeDropsAWindowThatWouldStartInThePadding() {
        PoolOptions o = PoolOptions.defaults().stride(3).padding(1).ceilMode(true);
        int[] k = {3};
        assertArrayEquals(new int[] {1, 1, 2, 2}, Functional.maxPool2d(new Variable(NDArray.ones(1, 1, 5, 5)), k, o).shape());
        assertArrayEquals(new int[] {1, 1, 2, 2}, Functional.avgPool2d(new Variable(NDArray.ones(1, 1, 5, 5)), k, o).shape());
        assertArrayEquals(new int[] {1, 1, 2, 2},
                Functional.avgPool2d(new Variable(NDArray.ones(1, 1, 6, 6)), k, o.ceilMode(false)).shape());
        NDArray y = Functional.avgPool2d(new Variable(NDArray.ones(1, 1, 6, 6)), k, o).data();
        assertArrayEquals(new int[] {1, 1, 3, 3}, y.shape());
        // ones: real cells over the divisor; per axis the windows hold 2, 3, 1 real rows of 3, 3, 2 padded ones
        assertArrayEquals(new double[] {4 / 9.0, 6 / 9.0, 2 / 6.0, 6 / 9.0, 1, 3 / 6.0, 2 / 6.0, 3 / 6.0, 1 / 4.0},
                y.toArray(), 1e-15);
        NDArray exclude = Functional.avgPool2d(new Variable(NDArray.ones(1, 1, 6, 6)), k, o.countIncludePad(false))
                .data();
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, exclude.toArray(), 1e-15);
    }

    /**
     * MaxPool2d(2, stride 2) on the 3x3 ramp 0..8: floor mode gives one window (rows and columns
     * 0-1) and no gradient to row 2 or column 2; ceil mode adds the partial windows {2, 5}, {6, 7}
     * and {8}, whose padding-free part holds the maximum.
     */
    @Test
    void maxPoolOnA3x3RampFloorAndCeilByHand() {
        Variable x = new Variable(NDArray.arange(9).reshape(1, 1, 3, 3), true);
        Variable floor = Functional.maxPool2d(x, 2);
        assertArrayEquals(new double[] {4}, floor.data().toArray());
        floor.backward(new Variable(NDArray.of(new double[] {7}, 1, 1, 1, 1)));
        assertArrayEquals(new double[] {0, 0, 0, 0, 7, 0, 0, 0, 0}, x.grad().data().toArray());
        Variable u = new Variable(NDArray.arange(9).reshape(1, 1, 3, 3), true);
        Variable ceil = new dev.nabla.nn.MaxPool2d(2, PoolOptions.defaults().ceilMode(true)).forward(u);
        assertArrayEquals(new double[] {4, 5, 7, 8}, ceil.data().toArray());
        ceil.backward(new Variable(NDArray.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2)));
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 2, 0, 3, 4}, u.grad().data().toArray());
    }

    /**
     * A kernel larger than the input: in floor mode the output size is 0 (an error), in ceil mode
     * ceil((2 - 3)/3) + 1 = 1 and the one window, clipped to the 2x2 input, holds all of it
     * (PyTorch's average divides by min(0 + 3, 2 + 0) - 0 = 2 per axis).
     */
    @Test
    void ceilModeAllowsAWindowLargerThanTheInput() {
        Variable x = new Variable(NDArray.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2));
        PoolOptions ceil = PoolOptions.defaults().ceilMode(true);
        assertArrayEquals(new double[] {4}, Functional.maxPool2d(x, new int[] {3}, ceil).data().toArray());
        assertArrayEquals(new double[] {2.5}, Functional.avgPool2d(x, new int[] {3}, ceil).data().toArray());
        assertThrows(IllegalArgumentException.class, () -> Functional.maxPool2d(x, 3));
    }

    /** Dilation 2, kernel 2, stride 1 on the 4x4 ramp: taps (r, c), (r, c+2), (r+2, c), (r+2, c+2); OH = 4 - 2 - 1 + 1 = 2. */
    @Test
    void dilatedMaxPoolByHand() {
        Variable x = new Variable(ramp4x4(), true);
        Variable y = Functional.maxPool2d(x, new int[] {2}, PoolOptions.defaults().stride(1).dilation(2));
        assertArrayEquals(new double[] {10, 11, 14, 15}, y.data().toArray());
        y.backward(new Variable(NDArray.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2)));
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4}, x.grad().data().toArray());
    }

    /**
     * A dilated window can step over the input: 1x1 input, kernel 2, dilation 2, padding 1 has taps
     * at -1 and 1 only. As in PyTorch the output is minus infinity; it passes no gradient (first or
     * second order).
     */
    @Test
    void aDilatedWindowWithNoInputGivesMinusInfinityAndNoGradient() {
        Variable x = new Variable(NDArray.of(new double[] {5}, 1, 1, 1, 1), true);
        PoolOptions o = PoolOptions.defaults().stride(1).padding(1).dilation(2);
        Variable y = Functional.maxPool2d(x, new int[] {2}, o);
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY}, y.data().toArray());
        Variable gx = dev.nabla.autograd.Autograd.grad(new Variable[] {y}, new Variable[] {x},
                new Variable[] {new Variable(NDArray.of(new double[] {3}, 1, 1, 1, 1), true)}, true)[0];
        assertArrayEquals(new double[] {0}, gx.data().toArray());
        // the backward's own backward (the gather) reads 0 for the empty window
        assertArrayEquals(new double[] {0},
                new PoolGatherNode(new int[] {-1}, new int[] {1, 1, 1, 1}).apply(new Variable(NDArray.of(new double[] {9},
                        1, 1, 1, 1))).data().toArray());
    }

    /**
     * A 5x4 input and a 2x2 kernel (stride 2) used to be refused; as in PyTorch the bottom row is now
     * ignored: windows rows 0-1 and 2-3 of x[r][c] = 4r + c, sums 10, 18, 42, 50, and row 4 gets
     * no gradient.
     */
    @Test
    void aWindowThatDoesNotTileTheInputIgnoresTheRest() {
        Variable x = new Variable(NDArray.arange(20).reshape(1, 1, 5, 4), true);
        Variable y = Functional.avgPool2d(x, 2);
        assertArrayEquals(new double[] {2.5, 4.5, 10.5, 12.5}, y.data().toArray());
        y.sum().backward();
        double q = 0.25;
        assertArrayEquals(new double[] {q, q, q, q, q, q, q, q, q, q, q, q, q, q, q, q, 0, 0, 0, 0},
                x.grad().data().toArray());
    }

    /**
     * Input positions that no window reaches (by the test's own enumeration of every window's taps)
     * get exactly zero gradient from max and average pooling, for random non-tiling and ceil-mode
     * cases; every reached position of an average pooling gets a non-zero gradient from positive
     * cotangents and a positive divisor.
     */
    @Property(tries = 40)
    void positionsNoWindowReachesGetZeroGradient(@ForAll("maxCases") ConvCase c) {
        boolean[] reached = reachedPositions(c);
        NDArray gy = NDArray.rand(new Random(c.seed + 4), c.n, c.c, c.oh(), c.ow()).add(0.5);
        Variable x = new Variable(c.distinctInput(), true);
        max(c).apply(new Variable[] {x}).backward(new Variable(gy));
        double[] g = x.grad().data().toArray();
        for (int i = 0; i < g.length; i++) {
            if (!reached[i % (c.h * c.w)]) {
                assertEquals(0.0, g[i], c + " position " + i);
            }
        }
        if (c.dh == 1 && c.dw == 1) {
            Variable xa = new Variable(c.input(), true);
            Functional.avgPool2d(xa, k(c), c.avgOptions().countIncludePad(true)).backward(new Variable(gy));
            double[] ga = xa.grad().data().toArray();
            for (int i = 0; i < ga.length; i++) {
                assertEquals(reached[i % (c.h * c.w)], ga[i] != 0.0, c + " position " + i);
            }
        }
    }

    /** Which positions of an H×W plane some window of case {@code c} reads. */
    private static boolean[] reachedPositions(ConvCase c) {
        boolean[] reached = new boolean[c.h * c.w];
        for (int y = 0; y < c.oh(); y++) {
            for (int x = 0; x < c.ow(); x++) {
                for (int i = 0; i < c.kh; i++) {
                    for (int j = 0; j < c.kw; j++) {
                        int iy = y * c.sh - c.ph + i * c.dh;
                        int ix = x * c.sw - c.pw + j * c.dw;
                        if (iy >= 0 && iy < c.h && ix >= 0 && ix < c.w) {
                            reached[iy * c.w + ix] = true;
                        }
                    }
                }
            }
        }
        return reached;
    }
}
