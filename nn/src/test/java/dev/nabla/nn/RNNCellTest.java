package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RNNCellTest {

    /**
     * The classic worked example: hidden size 2, input size 1, [h; x] times
     * W = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]] plus b = [0.1, -0.1], then tanh; output weight
     * [1.0, 2.0] and bias 0.1. From h0 = 0 and x = 1: h1 ≈ [0.537, 0.462], output ≈ 1.56.
     */
    @Test
    void classicWorkedExample() {
        RNNCell cell = new RNNCell(1, 2, new Random(0));
        // rows 0-1 of W multiply h, row 2 multiplies x; the cell holds their transposes, PyTorch's (out, in)
        cell.weightHh().data().copyFrom(NDArray.of(new double[][] {{0.1, 0.3}, {0.2, 0.4}}));
        cell.weightIh().data().copyFrom(NDArray.of(new double[][] {{0.5}, {0.6}}));
        cell.biasIh().data().copyFrom(NDArray.of(0.1, -0.1));
        cell.biasHh().data().fill(0);
        Variable wy = new Variable(NDArray.of(new double[][] {{1.0}, {2.0}}), true);
        Variable by = new Variable(NDArray.of(0.1), true);

        Variable x = new Variable(NDArray.of(new double[][] {{1.0}}));
        Variable h0 = new Variable(NDArray.zeros(1, 2));
        Variable h1 = cell.forward(x, h0);
        Variable y = h1.matmul(wy).add(by);

        double h1a = Math.tanh(0.0 * 0.1 + 0.0 * 0.3 + 1.0 * 0.5 + 0.1);
        double h1b = Math.tanh(0.0 * 0.2 + 0.0 * 0.4 + 1.0 * 0.6 - 0.1);
        double out = 1.0 * h1a + 2.0 * h1b + 0.1;
        assertEquals(h1a, h1.data().get(0, 0), 1e-12);
        assertEquals(h1b, h1.data().get(0, 1), 1e-12);
        assertEquals(out, y.item(), 1e-12);
        // the rounded textbook figures
        assertEquals(0.537, h1.data().get(0, 0), 5e-4);
        assertEquals(0.462, h1.data().get(0, 1), 5e-4);
        assertEquals(1.56, y.item(), 5e-3);

        // and its gradients by hand: dy/dpre_j = wy_j (1 - h1_j²); W_hh gets h0 = 0 times that
        y.backward();
        double da = 1.0 * (1 - h1a * h1a);
        double db = 2.0 * (1 - h1b * h1b);
        assertArrayEquals(new double[] {da, db}, cell.weightIh().grad().data().toArray(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0, 0}, cell.weightHh().grad().data().toArray(), 0.0);
        assertArrayEquals(new double[] {da, db}, cell.biasIh().grad().data().toArray(), 1e-12);
        assertArrayEquals(new double[] {da, db}, cell.biasHh().grad().data().toArray(), 1e-12);
        assertArrayEquals(new double[] {h1a, h1b}, wy.grad().data().toArray(), 1e-12);
        assertEquals(1.0, by.grad().item(), 0.0);
    }

    @Test
    void tanhAndReluMatchTheScalarReference() {
        Random r = new Random(3);
        for (RNNCell.Nonlinearity nl : RNNCell.Nonlinearity.values()) {
            RNNCell cell = new RNNCell(3, 4, nl, true, r);
            NDArray x = NDArray.randn(r, 5, 3);
            NDArray h = NDArray.randn(r, 5, 4);
            Variable out = cell.forward(new Variable(x), new Variable(h));
            double[][] ref = RNNReference.rnn(RNNReference.mat(x), RNNReference.mat(h),
                    RNNReference.mat(cell.weightIh().data()), RNNReference.mat(cell.weightHh().data()),
                    cell.biasIh().data().toArray(), cell.biasHh().data().toArray(), nl == RNNCell.Nonlinearity.RELU);
            assertTrue(RNNReference.maxDiff(ref, out.data()) < 1e-12, nl + " differs from the reference");
            assertArrayEquals(new int[] {5, 4}, out.shape());
        }
    }

    @Test
    void noBiasCellHasOnlyWeightsAndComputesTanhOfTheProducts() {
        RNNCell cell = new RNNCell(2, 3, RNNCell.Nonlinearity.TANH, false, new Random(1));
        assertEquals(List.of("weight_ih", "weight_hh"), List.copyOf(cell.namedParameters().keySet()));
        assertNull(cell.biasIh());
        NDArray x = NDArray.randn(new Random(2), 4, 2);
        NDArray h = NDArray.randn(new Random(5), 4, 3);
        NDArray expected = x.matmul(cell.weightIh().data().transpose()).add(h.matmul(cell.weightHh().data().transpose())).tanh();
        assertTrue(expected.allClose(cell.forward(new Variable(x), new Variable(h)).data(), 0, 1e-14));
    }

    @Test
    void zeroStateByDefault() {
        RNNCell cell = new RNNCell(2, 3, new Random(1));
        Variable x = new Variable(NDArray.randn(new Random(2), 4, 2));
        NDArray a = cell.forward(x).data();
        NDArray b = cell.forward(x, new Variable(NDArray.zeros(4, 3))).data();
        assertEquals(a, b);
    }

    @Test
    void initIsUniformInPlusMinusOneOverSqrtHiddenAndSeeded() {
        int h = 16;
        double k = 1 / Math.sqrt(h);
        RNNCell a = new RNNCell(8, h, new Random(42));
        RNNCell b = new RNNCell(8, h, new Random(42));
        RNNCell c = new RNNCell(8, h, new Random(43));
        double lo = 1;
        double hi = -1;
        for (String name : a.namedParameters().keySet()) {
            NDArray pa = a.namedParameters().get(name).data();
            assertEquals(pa, b.namedParameters().get(name).data(), "same seed must give the same " + name);
            assertNotEquals(pa, c.namedParameters().get(name).data());
            lo = Math.min(lo, pa.min(null, false).item());
            hi = Math.max(hi, pa.max(null, false).item());
        }
        assertTrue(lo >= -k && hi < k, "values outside ±1/√H: " + lo + " " + hi);
        assertTrue(lo < -0.9 * k && hi > 0.9 * k, "values should fill the range: " + lo + " " + hi);
        assertArrayEquals(new int[] {h, 8}, a.weightIh().shape());
        assertArrayEquals(new int[] {h, h}, a.weightHh().shape());
        assertArrayEquals(new int[] {h}, a.biasHh().shape());
        assertTrue(a.weightIh() instanceof Parameter);
    }

    @Test
    void badShapesNameTheExpectedShape() {
        RNNCell cell = new RNNCell(3, 2, new Random(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(new Variable(NDArray.zeros(3))));
        assertTrue(e.getMessage().contains("RNNCell") && e.getMessage().contains("(N, inputSize=3)")
                && e.getMessage().contains("unsqueeze(0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cell.forward(new Variable(NDArray.zeros(4, 5))));
        assertTrue(e.getMessage().contains("expected input of shape (N, 3)") && e.getMessage().contains("(4, 5)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(new Variable(NDArray.zeros(4, 3)), new Variable(NDArray.zeros(4, 3))));
        assertTrue(e.getMessage().contains("hidden state of shape (4, 2)") && e.getMessage().contains("(4, 3)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RNNCell(0, 2, new Random(0)));
        assertTrue(e.getMessage().contains("inputSize=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RNNCell(2, 2, null));
        assertTrue(e.getMessage().contains("seeded java.util.Random"), e.getMessage());
    }
}
