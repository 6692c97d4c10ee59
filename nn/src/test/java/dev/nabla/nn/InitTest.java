package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class InitTest {
    private static final int OUT = 200;
    private static final int IN = 300; // 60,000 draws: relative sampling error of a std is about 0.3%

    private static double mean(NDArray a) {
        return a.sum().item() / a.size();
    }

    private static double std(NDArray a) {
        double m = mean(a);
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            double d = a.getFlat(i) - m;
            s += d * d;
        }
        return Math.sqrt(s / a.size());
    }

    private static NDArray draw(Initializer init, long seed, int... shape) {
        NDArray w = NDArray.full(123.0, shape);
        init.fill(w, new Random(seed));
        return w;
    }

    /** Mean within 5 standard errors of 0 and std within 3% of {@code expected}. */
    private static void assertNormal(NDArray w, double expected) {
        assertEquals(0.0, mean(w), 5 * expected / Math.sqrt(w.size()), "mean");
        assertEquals(expected, std(w), 0.03 * expected, "std");
    }

    /** Every draw in [-bound, bound), extremes near the bound, variance bound²/3 within 3%. */
    private static void assertUniform(NDArray w, double bound) {
        double lo = w.min(null, false).item();
        double hi = w.max(null, false).item();
        assertTrue(lo >= -bound && hi < bound, "draws outside ±" + bound + ": [" + lo + ", " + hi + "]");
        assertTrue(lo < -0.99 * bound && hi > 0.99 * bound, "extremes [" + lo + ", " + hi + "] do not reach ±" + bound);
        assertEquals(bound / Math.sqrt(3), std(w), 0.03 * bound / Math.sqrt(3), "std");
        assertEquals(0.0, mean(w), 5 * bound / Math.sqrt(3) / Math.sqrt(w.size()), "mean");
    }

    @Test
    void fansFollowPyTorchFor2dAndConvShapes() {
        assertArrayEquals(new int[] {IN, OUT}, Init.fans(new int[] {OUT, IN}));
        assertArrayEquals(new int[] {8 * 9, 16 * 9}, Init.fans(new int[] {16, 8, 3, 3}));
        assertArrayEquals(new int[] {4 * 5, 6 * 5}, Init.fans(new int[] {6, 4, 5}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.fans(new int[] {5}));
        assertTrue(e.getMessage().contains("fewer than 2 dimensions") && e.getMessage().contains("(5,)"), e.getMessage());
    }

    @Test
    void normalHasTheClassicStd() {
        assertNormal(draw(Init.normal(), 1, OUT, IN), 0.01);
        assertNormal(draw(Init.normal(0.5), 2, OUT, IN), 0.5);
    }

    @Test
    void xavierNormalStdIsSqrtTwoOverFanSum() {
        assertNormal(draw(Init.xavierNormal(), 3, OUT, IN), Math.sqrt(2.0 / (IN + OUT)));
        assertNormal(draw(Init.xavierNormal(2.0), 4, OUT, IN), 2.0 * Math.sqrt(2.0 / (IN + OUT)));
    }

    @Test
    void xavierUniformBoundIsSqrtSixOverFanSum() {
        assertUniform(draw(Init.xavierUniform(), 5, OUT, IN), Math.sqrt(6.0 / (IN + OUT)));
    }

    @Test
    void kaimingNormalStdIsSqrtTwoOverFanIn() {
        assertNormal(draw(Init.kaimingNormal(), 6, OUT, IN), Math.sqrt(2.0 / IN));
        assertNormal(draw(Init.kaimingNormal(Init.FanMode.FAN_OUT, Math.sqrt(2)), 7, OUT, IN), Math.sqrt(2.0 / OUT));
    }

    @Test
    void kaimingUniformBoundIsSqrtSixOverFanIn() {
        assertUniform(draw(Init.kaimingUniform(), 8, OUT, IN), Math.sqrt(6.0 / IN));
        assertUniform(draw(Init.kaimingUniform(Init.FanMode.FAN_OUT, 1.0), 9, OUT, IN), Math.sqrt(3.0 / OUT));
    }

    @Test
    void convShapedWeightsUseTheReceptiveField() {
        // (out=32, in=16, 5, 5): fanIn = 400, fanOut = 800; 12,800 draws
        assertNormal(draw(Init.kaimingNormal(), 10, 32, 16, 5, 5), Math.sqrt(2.0 / 400));
        assertUniform(draw(Init.xavierUniform(), 11, 32, 16, 5, 5), Math.sqrt(6.0 / 1200));
    }

    @Test
    void leakyReluGainMatchesPyTorch() {
        assertEquals(Math.sqrt(2.0), Init.leakyReluGain(0), 0);
        assertEquals(Math.sqrt(2.0 / 1.0001), Init.leakyReluGain(0.01), 1e-15);
        assertEquals(Math.sqrt(1.0 / 3.0), Init.leakyReluGain(Math.sqrt(5)), 1e-15);
    }

    @Test
    void constantsFillExactlyAndDrawNothing() {
        Random used = new Random(5);
        NDArray w = NDArray.randn(new Random(1), 3, 4);
        Init.constant(2.5).fill(w, used);
        assertArrayEquals(NDArray.full(2.5, 3, 4).toArray(), w.toArray(), 0);
        Init.zeros().fill(w, used);
        assertArrayEquals(new double[12], w.toArray(), 0);
        Init.ones().fill(w, 3, 4, used);
        assertArrayEquals(NDArray.ones(3, 4).toArray(), w.toArray(), 0);
        assertEquals(new Random(5).nextLong(), used.nextLong(), "constant initializers must not consume random numbers");
    }

    @Test
    void fillBumpsTheVersionSoSavedGraphsNotice() {
        NDArray w = NDArray.zeros(2, 3);
        int before = w.version();
        Init.xavierUniform().fill(w, new Random(0));
        assertTrue(w.version() > before);
    }

    @Test
    void badArgumentsAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.normal(-1));
        assertTrue(e.getMessage().contains("std") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform().fill(NDArray.zeros(0, 3), new Random(0)));
        assertTrue(e.getMessage().contains("fanIn=3") && e.getMessage().contains("fanOut=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Init.uniform(1, 0));
        assertTrue(e.getMessage().contains("low 1.0"), e.getMessage());
    }

    @Property(tries = 20)
    void sameSeedGivesBitwiseSameWeights(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int a,
                                         @ForAll @IntRange(min = 1, max = 6) int b) {
        Initializer[] all = {Init.normal(), Init.xavierNormal(), Init.xavierUniform(), Init.kaimingNormal(),
            Init.kaimingUniform(), Init.uniform(-1, 2)};
        for (Initializer init : all) {
            assertArrayEquals(draw(init, seed, a, b).toArray(), draw(init, seed, a, b).toArray(), 0);
        }
    }

    @Property(tries = 30)
    void uniformRulesStayInsideTheirBounds(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int out,
                                           @ForAll @IntRange(min = 1, max = 8) int in) {
        NDArray w = draw(Init.xavierUniform(), seed, out, in);
        double a = Math.sqrt(6.0 / (in + out));
        NDArray k = draw(Init.kaimingUniform(), seed, out, in);
        double b = Math.sqrt(6.0 / in);
        for (int i = 0; i < w.size(); i++) {
            assertTrue(Math.abs(w.getFlat(i)) <= a && Math.abs(k.getFlat(i)) <= b);
        }
    }
}
