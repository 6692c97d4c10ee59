package dev.nabla.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.GradCheck;
import dev.nabla.autograd.GradGradCheck;
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
 * The convolution node and its two gradient nodes: agreement with direct seven-loop oracles
 * (small random cases and larger shapes that take every column layout and a partial image group),
 * the adjoint identities that tie the three together, first- and second-order gradient checks of
 * the gradient nodes, non-finite values, and errors.
 */
class Conv2dNodesTest {

    @Provide
    Arbitrary<ConvCase> cases() {
        return ConvCase.conv();
    }

    private static NDArray outputGradient(ConvCase k) {
        return NDArray.randn(new Random(k.seed + 9), k.n, k.oc, k.oh(), k.ow());
    }

    private static Variable inputGrad(ConvCase k, Variable gy, Variable w) {
        return new Conv2dInputGradNode(k.geometry("Conv2d"), k.inputShape()).apply(gy, w);
    }

    private static Variable weightGrad(ConvCase k, Variable x, Variable gy) {
        return new Conv2dWeightGradNode(k.geometry("Conv2d"), k.weightShape()).apply(x, gy);
    }

    @Property(tries = 40)
    void inputGradientMatchesDirectLoops(@ForAll("cases") ConvCase k) {
        NDArray gy = outputGradient(k);
        NDArray w = k.weight();
        NDArray got = inputGrad(k, new Variable(gy), new Variable(w)).data();
        NDArray expected = Direct.conv2dInputGrad(gy, w, k.inputShape(), k.sh, k.sw, k.ph, k.pw, k.dh, k.dw);
        assertArrayEquals(k.inputShape(), got.shape());
        assertTrue(got.allClose(expected, 1e-12, 1e-12), k + "\nexpected " + expected + "\ngot " + got);
    }

    @Property(tries = 40)
    void weightGradientMatchesDirectLoops(@ForAll("cases") ConvCase k) {
        NDArray x = k.input();
        NDArray gy = outputGradient(k);
        NDArray got = weightGrad(k, new Variable(x), new Variable(gy)).data();
        NDArray expected = Direct.conv2dWeightGrad(x, gy, k.weightShape(), k.sh, k.sw, k.ph, k.pw, k.dh, k.dw);
        assertArrayEquals(k.weightShape(), got.shape());
        assertTrue(got.allClose(expected, 1e-12, 1e-12), k + "\nexpected " + expected + "\ngot " + got);
    }

    /** {@code <conv(x, w), gy> = <x, inputGrad(gy, w)> = <w, weightGrad(x, gy)>}: the three are one bilinear form. */
    @Property(tries = 40)
    void theThreeNodesAreOneBilinearForm(@ForAll("cases") ConvCase k) {
        NDArray x = k.input();
        NDArray w = k.weight();
        NDArray gy = outputGradient(k);
        Variable y = new Conv2dNode(k.geometry("Conv2d")).apply(new Variable(x), new Variable(w));
        double a = Direct.dot(y.data(), gy);
        double b = Direct.dot(x, inputGrad(k, new Variable(gy), new Variable(w)).data());
        double c = Direct.dot(w, weightGrad(k, new Variable(x), new Variable(gy)).data());
        double tol = 1e-11 * (1 + Math.abs(a));
        assertEquals(a, b, tol, k.toString());
        assertEquals(a, c, tol, k.toString());
    }

    @Property(tries = 20)
    void inputGradNodeFirstAndSecondOrder(@ForAll("cases") ConvCase k) {
        Function<Variable[], Variable> f = v -> inputGrad(k, v[0], v[1]);
        // squared, so that the second derivative has a part along each input alone too
        Function<Variable[], Variable> sq = v -> inputGrad(k, v[0], v[1]).square();
        GradCheck.check(f, outputGradient(k), k.weight()).orThrow();
        GradGradCheck.check(f, outputGradient(k), k.weight()).orThrow();
        GradGradCheck.check(sq, outputGradient(k), k.weight()).orThrow();
    }

    @Property(tries = 20)
    void weightGradNodeFirstAndSecondOrder(@ForAll("cases") ConvCase k) {
        Function<Variable[], Variable> f = v -> weightGrad(k, v[0], v[1]);
        Function<Variable[], Variable> sq = v -> weightGrad(k, v[0], v[1]).square();
        GradCheck.check(f, k.input(), outputGradient(k)).orThrow();
        GradGradCheck.check(f, k.input(), outputGradient(k)).orThrow();
        GradGradCheck.check(sq, k.input(), outputGradient(k)).orThrow();
    }

    // ------------------------------------------------------------------ larger shapes

    /**
     * Shapes large enough that a column block holds fewer images than the batch (so the last group
     * is partial), in each column layout: wide rows without padding, wide rows of a padded image,
     * wide rows with dilation, and classic columns for stride 2, plus the LeNet layers and strides
     * that do not tile the input.
     */
    @Test
    void largerShapesMatchDirectLoopsInEveryLayout() {
        int[][] cases = {
            // n, c, h, w, oc, k, stride, padding, dilation
            {3, 4, 15, 15, 3, 5, 1, 0, 1},
            {3, 2, 9, 9, 2, 5, 1, 2, 1},
            {2, 3, 11, 11, 2, 3, 1, 0, 2},
            {3, 8, 21, 21, 2, 5, 2, 0, 1},
            {3, 3, 11, 9, 2, 3, 2, 1, 1},
            {5, 1, 28, 28, 6, 5, 1, 0, 1},
            {5, 6, 12, 12, 16, 5, 1, 0, 1},
            // windows that do not tile the input: the last rows/columns are read by no window
            {3, 3, 12, 10, 2, 3, 2, 1, 1},
            {2, 2, 14, 13, 3, 4, 3, 0, 1},
            {3, 4, 16, 16, 2, 3, 3, 1, 2},
        };
        for (int[] q : cases) {
            Random r = new Random(q[0] * 1000 + q[1] * 100 + q[5]);
            NDArray x = NDArray.randn(r, q[0], q[1], q[2], q[3]);
            NDArray w = NDArray.randn(r, q[4], q[1], q[5], q[5]);
            NDArray b = NDArray.randn(r, q[4]);
            ConvGeometry g = ConvGeometry.square("Conv2d", q[5], q[6], q[7], q[8]);
            int[] o = g.outputSize(x.shape());
            NDArray gy = NDArray.randn(r, q[0], q[4], o[0], o[1]);
            String what = java.util.Arrays.toString(q);
            NDArray y = new Conv2dNode(g).apply(new Variable(x), new Variable(w), new Variable(b)).data();
            assertTrue(y.allClose(Direct.conv2d(x, w, b, q[6], q[6], q[7], q[7], q[8], q[8]), 1e-12, 1e-12), what);
            NDArray gx = new Conv2dInputGradNode(g, x.shape()).apply(new Variable(gy), new Variable(w)).data();
            assertTrue(gx.allClose(Direct.conv2dInputGrad(gy, w, x.shape(), q[6], q[6], q[7], q[7], q[8], q[8]),
                    1e-12, 1e-12), what);
            NDArray gw = new Conv2dWeightGradNode(g, w.shape()).apply(new Variable(x), new Variable(gy)).data();
            assertTrue(gw.allClose(Direct.conv2dWeightGrad(x, gy, w.shape(), q[6], q[6], q[7], q[7], q[8], q[8]),
                    1e-11, 1e-11), what);
        }
    }

    /** Gradients of the LeNet layers through backward, bias included, against the direct oracles. */
    @Test
    void backwardOfALeNetLayerMatchesDirectLoops() {
        Random r = new Random(3);
        NDArray x = NDArray.rand(r, 4, 6, 12, 12);
        NDArray w = NDArray.randn(r, 16, 6, 5, 5);
        NDArray gy = NDArray.randn(r, 4, 16, 8, 8);
        Variable xv = new Variable(x, true);
        Variable wv = new Variable(w, true);
        Variable bv = new Variable(NDArray.randn(r, 16), true);
        Functional.conv2d(xv, wv, bv, 1, 0).backward(new Variable(gy));
        assertTrue(xv.grad().data().allClose(Direct.conv2dInputGrad(gy, w, x.shape(), 1, 1, 0, 0, 1, 1), 1e-12, 1e-12));
        assertTrue(wv.grad().data().allClose(Direct.conv2dWeightGrad(x, gy, w.shape(), 1, 1, 0, 0, 1, 1), 1e-11, 1e-11));
        assertTrue(bv.grad().data().allClose(gy.sum(new int[] {0, 2, 3}, false), 1e-12, 1e-12));
    }

    // ------------------------------------------------------------------ non-finite values

    /**
     * An infinity in the input reaches exactly the weight-gradient entries whose taps read it (as
     * in the direct loops), not every entry that the unused columns of wide rows would touch.
     */
    @Test
    void infiniteInputOnlyReachesTheWeightGradientEntriesThatReadIt() {
        Random r = new Random(5);
        NDArray x = NDArray.randn(r, 2, 1, 12, 12);
        x.set(Double.POSITIVE_INFINITY, 1, 0, 2, 11); // right edge: wide rows would also read it as a wrap-around
        NDArray gy = NDArray.randn(r, 2, 2, 8, 8);
        ConvGeometry g = ConvGeometry.square("Conv2d", 5, 1, 0, 1);
        NDArray got = new Conv2dWeightGradNode(g, new int[] {2, 1, 5, 5}).apply(new Variable(x), new Variable(gy)).data();
        assertSameNonFinitePattern(Direct.conv2dWeightGrad(x, gy, new int[] {2, 1, 5, 5}, 1, 1, 0, 0, 1, 1), got);
    }

    /**
     * With classic columns and a partial last group of images, an infinity in an earlier group's
     * image does not leak into the weight gradient through the last group's unused slots.
     */
    @Test
    void infiniteInputOfAnEarlierGroupStaysOutOfAPartialGroup() {
        Random r = new Random(7);
        NDArray x = NDArray.randn(r, 5, 8, 21, 21); // stride 2: classic columns, 2 images per group
        x.set(Double.POSITIVE_INFINITY, 3, 2, 10, 10);
        NDArray gy = NDArray.randn(r, 5, 2, 9, 9);
        ConvGeometry g = ConvGeometry.square("Conv2d", 5, 2, 0, 1);
        NDArray got = new Conv2dWeightGradNode(g, new int[] {2, 8, 5, 5}).apply(new Variable(x), new Variable(gy)).data();
        assertSameNonFinitePattern(Direct.conv2dWeightGrad(x, gy, new int[] {2, 8, 5, 5}, 2, 2, 0, 0, 1, 1), got);
    }

    /** Likewise an infinity in the weight reaches only the input-gradient entries it multiplies. */
    @Test
    void infiniteWeightOnlyReachesTheInputGradientEntriesItMultiplies() {
        Random r = new Random(6);
        NDArray w = NDArray.randn(r, 2, 1, 5, 5);
        w.set(Double.NEGATIVE_INFINITY, 0, 0, 4, 4);
        NDArray gy = NDArray.randn(r, 2, 2, 8, 8);
        ConvGeometry g = ConvGeometry.square("Conv2d", 5, 1, 0, 1);
        NDArray got = new Conv2dInputGradNode(g, new int[] {2, 1, 12, 12}).apply(new Variable(gy), new Variable(w)).data();
        assertSameNonFinitePattern(Direct.conv2dInputGrad(gy, w, new int[] {2, 1, 12, 12}, 1, 1, 0, 0, 1, 1), got);
    }

    private static void assertSameNonFinitePattern(NDArray expected, NDArray got) {
        int nonFinite = 0;
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.getFlat(i);
            double a = got.getFlat(i);
            if (Double.isFinite(e)) {
                assertEquals(e, a, 1e-12 * (1 + Math.abs(e)), "element " + i);
            } else {
                nonFinite++;
                assertEquals(Double.doubleToLongBits(e), Double.doubleToLongBits(a), "element " + i + ": " + e + " vs " + a);
            }
        }
        assertTrue(nonFinite > 0 && nonFinite < expected.size(), "the case should have some, not all, non-finite entries");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aWeightThatDoesNotMatchTheKernelIsExplained() {
        ConvGeometry g = ConvGeometry.square("Conv2d", 3, 1, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2dNode(g).apply(new Variable(NDArray.zeros(1, 2, 5, 5)), new Variable(NDArray.zeros(4, 2, 5, 5))));
        assertEquals("Conv2d: a weight of shape (4, 2, 5, 5) does not match the kernel size (3, 3) of Conv2d(kernel=(3, 3),"
                + " stride=(1, 1), padding=(0, 0), dilation=(1, 1))", e.getMessage());
    }

    @Test
    void anOutputGradientOfTheWrongShapeIsExplained() {
        ConvGeometry g = ConvGeometry.square("Conv2d", 3, 1, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2dInputGradNode(g, new int[] {1, 2, 5, 5})
                        .apply(new Variable(NDArray.zeros(1, 4, 5, 5)), new Variable(NDArray.zeros(4, 2, 3, 3))));
        assertEquals("Conv2d: expected an output gradient of shape (1, 4, 3, 3) but got (1, 4, 5, 5)", e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> new Conv2dWeightGradNode(g, new int[] {4, 2, 3, 3})
                        .apply(new Variable(NDArray.zeros(1, 2, 5, 5)), new Variable(NDArray.zeros(1, 3, 3, 3))));
        assertEquals("Conv2d: expected an output gradient of shape (1, 4, 3, 3) but got (1, 3, 3, 3)", f.getMessage());
    }

    @Test
    void aBiasOfTheWrongShapeIsExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.conv2d(new Variable(NDArray.zeros(1, 2, 5, 5)), new Variable(NDArray.zeros(4, 2, 3, 3)),
                        new Variable(NDArray.zeros(3)), 1, 0));
        assertEquals("conv2d: expected a bias of shape (4,) for 4 output channels, but got (3,)", e.getMessage());
    }
}
