package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

class LinearTest {

    @Test
    void computesXTimesWTransposedPlusB() {
        Linear l = new Linear(3, 2, new Random(0));
        // (out=2, in=3): row j holds the weights of output unit j, as in PyTorch
        l.weight().data().copyFrom(NDArray.of(new double[][] {{1, 3, 5}, {2, 4, 6}}));
        l.bias().data().copyFrom(NDArray.of(0.5, -1));
        Variable y = l.forward(new Variable(NDArray.of(new double[][] {{1, 0, -1}, {2, 1, 0}})));
        assertArrayEquals(new double[] {-3.5, -5, 5.5, 7}, y.data().toArray(), 1e-15);
        assertArrayEquals(new int[] {2, 2}, y.shape());
    }

    @Test
    void weightIsOutByInAndRegisteredBeforeBias() {
        Linear l = new Linear(5, 3, new Random(0));
        assertArrayEquals(new int[] {3, 5}, l.weight().shape());
        assertArrayEquals(new int[] {3}, l.bias().shape());
        assertEquals(List.of("weight", "bias"), List.copyOf(l.namedParameters().keySet()));
        Linear nb = new Linear(5, 3, false, null, null, new Random(0));
        assertNull(nb.bias());
        assertEquals(List.of("weight"), List.copyOf(nb.namedParameters().keySet()));
    }

    @Test
    void lazyLayerInfersInputSizeOnFirstCall() {
        Linear lazy = new Linear(4, new Random(9));
        assertEquals(Linear.INFER, lazy.inFeatures());
        assertTrue(lazy.parameters().isEmpty());
        assertNull(lazy.weight());
        Variable y = lazy.forward(new Variable(NDArray.ones(2, 7)));
        assertArrayEquals(new int[] {2, 4}, y.shape());
        assertEquals(7, lazy.inFeatures());
        assertArrayEquals(new int[] {4, 7}, lazy.weight().shape());
        assertEquals(2, lazy.parameters().size());
        // the same draws as an eagerly sized layer built from the same seed
        Linear eager = new Linear(7, 4, new Random(9));
        assertArrayEquals(eager.weight().data().toArray(), lazy.weight().data().toArray(), 0);
        assertArrayEquals(eager.bias().data().toArray(), lazy.bias().data().toArray(), 0);
        // once sized, another input size is an error naming both shapes
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lazy.forward(new Variable(NDArray.ones(2, 5))));
        assertTrue(e.getMessage().contains("(2, 5)") && e.getMessage().contains("(4, 7)")
                && e.getMessage().contains("in_features=7"), e.getMessage());
    }

    @Test
    void defaultInitDrawsTheOutByInWeightRowMajorThenTheBias() {
        // kaiming_uniform(a=√5) on (out, in) is U(-1/√in, 1/√in), drawn row by row of (out, in)
        Linear l = new Linear(3, 2, new Random(7));
        Random r = new Random(7);
        double bound = 1 / Math.sqrt(3);
        NDArray w = NDArray.uniform(r, -bound, bound, 2, 3);
        NDArray b = NDArray.uniform(r, -bound, bound, 2);
        // (the bound is computed as gain·√(3/fanIn) in Init, so it may differ from 1/√3 in the last bit)
        assertArrayEquals(w.toArray(), l.weight().data().toArray(), 1e-15);
        assertArrayEquals(b.toArray(), l.bias().data().toArray(), 1e-15);
    }

    @Test
    void lazyLayerIsSizedFromACheckpointsOutByInWeight() {
        Linear lazy = new Linear(2, new Random(0));
        NDArray w = NDArray.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        lazy.loadStateDict(java.util.Map.of("weight", w, "bias", NDArray.of(0.0, 1.0)), true);
        assertEquals(3, lazy.inFeatures());
        assertArrayEquals(w.toArray(), lazy.weight().data().toArray(), 0);
        // a checkpoint in the old (in, out) layout does not fit and is refused, not transposed
        Linear eager = new Linear(3, 2, new Random(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> eager.loadStateDict(
                java.util.Map.of("weight", w.transpose(), "bias", NDArray.of(0.0, 1.0)), true));
        assertTrue(e.getMessage().contains("size mismatch for weight: copying a param with shape (3, 2) from checkpoint, "
                + "the shape in current model is (2, 3)"), e.getMessage());
    }

    @Test
    void initializeBeforeSizingIsAnError() {
        Linear lazy = new Linear(4, new Random(9));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> lazy.initialize(Init.zeros(), Init.zeros(), new Random(0)));
        assertTrue(e.getMessage().contains("input size is not known"), e.getMessage());
    }

    @Test
    void defaultInitIsPyTorchsUniformOneOverSqrtIn() {
        int in = 400;
        Linear l = new Linear(in, 50, new Random(3));
        double bound = 1 / Math.sqrt(in);
        NDArray w = l.weight().data();
        double sq = 0;
        for (int i = 0; i < w.size(); i++) {
            assertTrue(Math.abs(w.getFlat(i)) <= bound);
            sq += w.getFlat(i) * w.getFlat(i);
        }
        assertEquals(bound / Math.sqrt(3), Math.sqrt(sq / w.size()), 0.03 * bound / Math.sqrt(3));
        for (double b : l.bias().data().toArray()) {
            assertTrue(Math.abs(b) <= bound);
        }
    }

    @Test
    void initializersReceiveInAndOutAsFans() {
        // fan-in mode must use in = 400, the weight's second axis (PyTorch's (out, in) layout)
        Linear l = new Linear(400, 100, true, Init.kaimingNormal(), Init.zeros(), new Random(4));
        NDArray w = l.weight().data();
        double sq = 0;
        for (int i = 0; i < w.size(); i++) {
            sq += w.getFlat(i) * w.getFlat(i);
        }
        assertEquals(Math.sqrt(2.0 / 400), Math.sqrt(sq / w.size()), 0.03 * Math.sqrt(2.0 / 400));
        assertArrayEquals(new double[100], l.bias().data().toArray(), 0);
        l.initialize(Init.kaimingNormal(Init.FanMode.FAN_OUT, Math.sqrt(2)), null, new Random(5));
        sq = 0;
        for (int i = 0; i < w.size(); i++) {
            sq += w.getFlat(i) * w.getFlat(i);
        }
        assertEquals(Math.sqrt(2.0 / 100), Math.sqrt(sq / w.size()), 0.03 * Math.sqrt(2.0 / 100));
    }

    @Test
    void batchedInputKeepsLeadingAxes() {
        Random r = new Random(2);
        Linear l = new Linear(3, 2, r);
        NDArray x = NDArray.randn(r, 4, 5, 3);
        Variable y = l.forward(new Variable(x));
        assertArrayEquals(new int[] {4, 5, 2}, y.shape());
        NDArray slice = l.forward(new Variable(x.getItem(dev.nabla.ndarray.Index.at(1)))).data();
        Checks.assertClose(slice, y.data().getItem(dev.nabla.ndarray.Index.at(1)), 1e-14);
    }

    @Test
    void badConstructionAndBadWeightsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3, new Random(0)));
        assertTrue(e.getMessage().contains("in_features=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Linear(3, 2, null));
        assertTrue(e.getMessage().contains("seeded"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.linear(
                new Variable(NDArray.ones(2, 3)), new Variable(NDArray.ones(2, 3)), new Variable(NDArray.ones(3))));
        assertTrue(e.getMessage().contains("bias must have shape (2,)"), e.getMessage());
    }

    @Property(tries = 30)
    void linearFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int n,
                                   @ForAll @IntRange(min = 1, max = 4) int in, @ForAll @IntRange(min = 1, max = 4) int out) {
        Random r = new Random(seed);
        Checks.firstAndSecondOrder(v -> Functional.linear(v[0], v[1], v[2]),
                Checks.randn(r, n, in), Checks.randn(r, out, in), Checks.randn(r, out));
    }

    @Property(tries = 20)
    void batchedLinearWithoutBiasFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int a,
                                                     @ForAll @IntRange(min = 1, max = 3) int b) {
        Random r = new Random(seed);
        Checks.firstAndSecondOrder(v -> Functional.linear(v[0], v[1], null), Checks.randn(r, a, b, 3), Checks.randn(r, 2, 3));
    }

    @Property(tries = 20)
    void moduleParameterGradientsMatchFiniteDifferences(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int n) {
        Random r = new Random(seed);
        Linear l = new Linear(3, 2, r);
        Checks.moduleParameterGradients(l, Checks.randn(r, n, 3), seed);
    }
}
