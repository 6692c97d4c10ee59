package dev.nabla.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Functional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import java.util.Random;
import java.util.function.Function;

/**
 * The float32 paths of the convolution and pooling nodes, which compute in float: their results
 * are float32 and equal the float64 result on the same (float-representable) inputs within the
 * float rounding bound {@code (K + 2)·eps_f32·Σ|a||b|} of a K-term sum of products, where
 * Σ|a||b| is the same node applied in float64 to the absolute values; max pooling, its scatter
 * and gather are exact. Mixed float32/float64 operands give float64.
 */
class Float32Test {
    private static final double EPS = Math.ulp(1f);

    @Provide
    Arbitrary<ConvCase> cases() {
        return ConvCase.conv();
    }

    /** {@code a} rounded to float32 and widened back: values that float32 holds exactly. */
    private static NDArray f64(NDArray a) {
        return a.astype(DType.FLOAT32).astype(DType.FLOAT64);
    }

    /**
     * Applies {@code op} to the float32 rounding of {@code in} and checks the result against
     * {@code op} on the same values in float64, within {@code (k + 2)·eps·op(|in|)}.
     */
    private static void assertWithinRounding(String what, int k, Function<NDArray[], NDArray> op, NDArray... in) {
        assertWithinRounding(what, k, false, op, in);
    }

    /**
     * As above; {@code mustRound}: some element must differ from the float64 result rounded once
     * (so float32 is really computed in float, not in double and rounded).
     */
    private static void assertWithinRounding(String what, int k, boolean mustRound, Function<NDArray[], NDArray> op,
                                             NDArray... in) {
        NDArray[] in64 = new NDArray[in.length];
        NDArray[] in32 = new NDArray[in.length];
        NDArray[] abs = new NDArray[in.length];
        for (int i = 0; i < in.length; i++) {
            in64[i] = f64(in[i]);
            in32[i] = in64[i].astype(DType.FLOAT32);
            abs[i] = in64[i].abs();
        }
        NDArray got = op.apply(in32);
        NDArray exact = op.apply(in64);
        NDArray bound = op.apply(abs);
        assertEquals(DType.FLOAT32, got.dtype(), what);
        assertEquals(DType.FLOAT64, exact.dtype(), what);
        assertArrayEquals(exact.shape(), got.shape(), what);
        int inexact = 0;
        for (int i = 0; i < got.size(); i++) {
            double err = Math.abs(got.getFlat(i) - exact.getFlat(i));
            double tol = (k + 2) * EPS * bound.getFlat(i) + Double.MIN_NORMAL;
            assertTrue(err <= tol, what + ": element " + i + " is " + got.getFlat(i) + ", float64 gives "
                    + exact.getFlat(i) + ", error " + err + " above " + tol);
            if ((float) got.getFlat(i) != (float) exact.getFlat(i)) {
                inexact++;
            }
        }
        assertTrue(inexact > 0 || !mustRound, what + ": float32 should compute in float (every element was the"
                + " float64 result rounded once)");
    }

    private static Function<NDArray[], NDArray> conv(ConvGeometry g) {
        return a -> new Conv2dNode(g).apply(new Variable(a[0]), new Variable(a[1]), new Variable(a[2])).data();
    }

    private static Function<NDArray[], NDArray> inputGrad(ConvGeometry g, int[] xs) {
        return a -> new Conv2dInputGradNode(g, xs).apply(new Variable(a[0]), new Variable(a[1])).data();
    }

    private static Function<NDArray[], NDArray> weightGrad(ConvGeometry g, int[] ws) {
        return a -> new Conv2dWeightGradNode(g, ws).apply(new Variable(a[0]), new Variable(a[1])).data();
    }

    /** Checks the three convolution nodes in float32 on one case. */
    private static void checkConv(String what, NDArray x, NDArray w, NDArray b, NDArray gy, ConvGeometry g,
                                  boolean mustRound) {
        int[] ws = w.shape();
        int taps = ws[1] * ws[2] * ws[3];
        int[] gs = gy.shape();
        assertWithinRounding(what + " forward", taps, mustRound, conv(g), x, w, b);
        assertWithinRounding(what + " input gradient", ws[0] * ws[2] * ws[3], mustRound, inputGrad(g, x.shape()), gy, w);
        assertWithinRounding(what + " weight gradient", gs[0] * gs[2] * gs[3], mustRound, weightGrad(g, ws), x, gy);
    }

    @Property(tries = 40)
    void smallCasesAgreeWithFloat64WithinRounding(@ForAll("cases") ConvCase k) {
        Random r = new Random(k.seed + 9);
        checkConv(k.toString(), k.input(), k.weight(), k.bias(), NDArray.randn(r, k.n, k.oc, k.oh(), k.ow()),
                k.geometry("Conv2d"), false);
    }

    /**
     * Average pooling and its adjoint in float32 (every PoolOptions setting, non-tiling and
     * ceil-mode windows) stay within rounding of float64; a negative divisor override is flipped
     * so that the bound {@code op(|x|)} stays positive.
     */
    @Property(tries = 30)
    void avgPoolingAgreesWithFloat64WithinRounding(@ForAll("poolCases") ConvCase c) {
        PoolOptions o = c.divisor < 0 ? c.avgOptions().divisorOverride(-c.divisor) : c.avgOptions();
        int[] k = {c.kh, c.kw};
        ConvGeometry g = c.geometry("AvgPool2d");
        int taps = c.kh * c.kw;
        assertWithinRounding(c + " forward", taps, a -> Functional.avgPool2d(new Variable(a[0]), k, o).data(),
                c.input());
        NDArray gy = NDArray.randn(new Random(c.seed + 5), c.n, c.c, c.oh(), c.ow());
        int divisor = o.divisorOverride().orElse(0);
        assertWithinRounding(c + " adjoint", taps, a -> new AvgPool2dAdjointNode(g, c.countIncludePad, divisor,
                c.inputShape()).apply(new Variable(a[0])).data(), gy);
    }

    @Provide
    Arbitrary<ConvCase> poolCases() {
        return ConvCase.pool();
    }

    /** Every column layout (wide, wide padded, dilated, classic), partial groups, and the LeNet layers. */
    @Test
    void largerShapesAgreeWithFloat64WithinRounding() {
        int[][] cases = {
            // n, c, h, w, oc, k, stride, padding, dilation
            {3, 4, 15, 15, 3, 5, 1, 0, 1},
            {3, 2, 9, 9, 2, 5, 1, 2, 1},
            {2, 3, 11, 11, 2, 3, 1, 0, 2},
            {3, 8, 21, 21, 2, 5, 2, 0, 1},
            {3, 3, 11, 9, 2, 3, 2, 1, 1},
            {9, 1, 28, 28, 6, 5, 1, 0, 1},
            {9, 6, 12, 12, 16, 5, 1, 0, 1},
            {5, 6, 8, 8, 20, 3, 1, 1, 1},
        };
        for (int[] q : cases) {
            Random r = new Random(q[0] * 1000 + q[1] * 100 + q[5]);
            NDArray x = NDArray.randn(r, q[0], q[1], q[2], q[3]);
            NDArray w = NDArray.randn(r, q[4], q[1], q[5], q[5]);
            NDArray b = NDArray.randn(r, q[4]);
            ConvGeometry g = ConvGeometry.square("Conv2d", q[5], q[6], q[7], q[8]);
            int[] o = g.outputSize(x.shape());
            checkConv(java.util.Arrays.toString(q), x, w, b, NDArray.randn(r, q[0], q[4], o[0], o[1]), g, true);
        }
    }

    /** Im2col and col2im are exact in float32 (copies and, for col2im, a few sums). */
    @Test
    void im2colAndCol2imInFloat32() {
        Random r = new Random(4);
        ConvGeometry g = ConvGeometry.square("Conv2d", 3, 2, 1, 1);
        NDArray x = f64(NDArray.randn(r, 2, 3, 7, 7));
        NDArray cols = Im2col.im2col(x.astype(DType.FLOAT32), g);
        assertEquals(DType.FLOAT32, cols.dtype());
        assertArrayEquals(Im2col.im2col(x, g).toArray(), cols.toArray());
        NDArray c = f64(NDArray.randn(r, cols.shape()));
        assertWithinRounding("col2im", 9, a -> Im2col.col2im(a[0], x.shape(), g), c);
    }

    /** An infinity reaches the same entries in float32 as in float64 (wide rows are not used then either). */
    @Test
    void nonFiniteValuesReachTheSameEntriesAsInFloat64() {
        Random r = new Random(5);
        NDArray x = f64(NDArray.randn(r, 2, 1, 12, 12));
        x.set(Double.POSITIVE_INFINITY, 1, 0, 2, 11);
        NDArray gy = f64(NDArray.randn(r, 2, 2, 8, 8));
        ConvGeometry g = ConvGeometry.square("Conv2d", 5, 1, 0, 1);
        int[] ws = {2, 1, 5, 5};
        NDArray got = weightGrad(g, ws).apply(new NDArray[] {x.astype(DType.FLOAT32), gy.astype(DType.FLOAT32)});
        NDArray expected = weightGrad(g, ws).apply(new NDArray[] {x, gy});
        int nonFinite = 0;
        for (int i = 0; i < expected.size(); i++) {
            boolean finite = Double.isFinite(expected.getFlat(i));
            assertEquals(finite, Double.isFinite(got.getFlat(i)), "element " + i);
            if (finite) {
                assertEquals(expected.getFlat(i), got.getFlat(i), 1e-4 * (1 + Math.abs(expected.getFlat(i))));
            } else {
                nonFinite++;
                assertEquals(expected.getFlat(i), got.getFlat(i), "element " + i);
            }
        }
        assertTrue(nonFinite > 0 && nonFinite < expected.size());
    }

    /** Max pooling, its backward scatter and the gather are exact in float32: float32 equals float64 bit for bit. */
    @Test
    void maxPoolingAndItsBackwardAreExactInFloat32() {
        Random r = new Random(6);
        // kernel, stride, padding, size, dilation, ceil mode (overlapping, non-tiling and partial windows too)
        int[][] geometries = {{2, 2, 0, 8, 1, 0}, {3, 2, 1, 9, 1, 0}, {2, 1, 0, 7, 1, 0}, {2, 2, 0, 7, 1, 1},
            {3, 2, 1, 8, 2, 1}, {3, 3, 0, 8, 1, 0}};
        for (int[] q : geometries) {
            NDArray x = f64(NDArray.randn(r, 3, 2, q[3], q[3]));
            Variable x64 = new Variable(x, true);
            Variable x32 = new Variable(x.astype(DType.FLOAT32), true);
            int[] k = {q[0]};
            PoolOptions o = PoolOptions.defaults().stride(q[1]).padding(q[2]).dilation(q[4]).ceilMode(q[5] == 1);
            Variable y64 = Functional.maxPool2d(x64, k, o);
            Variable y32 = Functional.maxPool2d(x32, k, o);
            assertEquals(DType.FLOAT32, y32.data().dtype());
            assertArrayEquals(y64.data().toArray(), y32.data().toArray());
            // small integers: the sums of overlapping windows are exact in float too
            double[] ints = new double[y64.data().size()];
            for (int i = 0; i < ints.length; i++) {
                ints[i] = r.nextInt(17) - 8;
            }
            NDArray gy = NDArray.of(ints, y64.shape());
            y64.backward(new Variable(gy));
            y32.backward(new Variable(gy.astype(DType.FLOAT32)));
            assertEquals(DType.FLOAT32, x32.grad().data().dtype());
            assertArrayEquals(x64.grad().data().toArray(), x32.grad().data().toArray());
            int[] arg = new int[y64.data().size()];
            for (int i = 0; i < arg.length; i++) {
                arg[i] = (7 * i) % x.size();
            }
            NDArray gathered = new PoolGatherNode(arg, y64.shape()).apply(new Variable(x.astype(DType.FLOAT32))).data();
            assertEquals(DType.FLOAT32, gathered.dtype());
            assertArrayEquals(new PoolGatherNode(arg, y64.shape()).apply(new Variable(x)).data().toArray(),
                    gathered.toArray());
        }
    }

    /**
     * The 2×2 path picks the same tap in float32 as in float64 on inputs full of ties, signed
     * zeros and NaNs: equal outputs bit for bit (as floats) and equal gradients.
     */
    @Property(tries = 50)
    void twoByTwoPoolingPicksTheSameTapInFloat32(@ForAll long seed) {
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
        double[] g = new double[n * c * oh * ow];
        for (int k = 0; k < g.length; k++) {
            g[k] = k + 1;
        }
        Variable x64 = new Variable(NDArray.of(v, n, c, 2 * oh, 2 * ow), true);
        Variable x32 = new Variable(x64.data().astype(DType.FLOAT32), true);
        Variable y64 = Functional.maxPool2d(x64, 2);
        Variable y32 = Functional.maxPool2d(x32, 2);
        assertEquals(DType.FLOAT32, y32.data().dtype());
        float[] a = y64.data().toFloatArray();
        float[] b = y32.data().toFloatArray();
        for (int k = 0; k < a.length; k++) {
            assertEquals(Float.floatToRawIntBits(a[k]), Float.floatToRawIntBits(b[k]), "window " + k);
        }
        y64.backward(new Variable(NDArray.of(g, n, c, oh, ow)));
        y32.backward(new Variable(NDArray.of(g, n, c, oh, ow).astype(DType.FLOAT32)));
        assertArrayEquals(x64.grad().data().toArray(), x32.grad().data().toArray());
    }

    /** A float64 operand among float32 ones gives a float64 result (PyTorch's promotion), computed in double. */
    @Test
    void mixedOperandsGiveFloat64() {
        Random r = new Random(7);
        ConvGeometry g = ConvGeometry.square("Conv2d", 3, 1, 0, 1);
        NDArray x = f64(NDArray.randn(r, 2, 3, 6, 6));
        NDArray w = f64(NDArray.randn(r, 4, 3, 3, 3));
        NDArray y = new Conv2dNode(g).apply(new Variable(x.astype(DType.FLOAT32)), new Variable(w)).data();
        assertEquals(DType.FLOAT64, y.dtype());
        assertArrayEquals(new Conv2dNode(g).apply(new Variable(x), new Variable(w)).data().toArray(), y.toArray());
    }
}
