package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GRUCellTest {

    @Test
    void matchesTheScalarReference() {
        Random r = new Random(21);
        GRUCell cell = new GRUCell(3, 4, r);
        NDArray x = NDArray.randn(r, 5, 3);
        NDArray h = NDArray.randn(r, 5, 4);
        Variable out = cell.forward(new Variable(x), new Variable(h));
        double[][] ref = RNNReference.gru(RNNReference.mat(x), RNNReference.mat(h),
                RNNReference.mat(cell.weightIh().data()), RNNReference.mat(cell.weightHh().data()),
                cell.biasIh().data().toArray(), cell.biasHh().data().toArray());
        assertTrue(RNNReference.maxDiff(ref, out.data()) < 1e-12);
        assertArrayEquals(new int[] {12, 3}, cell.weightIh().shape()); // (3H, inputSize), as torch.nn.GRUCell
        assertArrayEquals(new int[] {12, 4}, cell.weightHh().shape());
    }

    @Test
    void resetGateMultipliesTheHiddenBiasToo() {
        // PyTorch's form: n = tanh(x W_in + b_in + r (h W_hn + b_hn)). With r shut (≈ 0), b_hn has no effect;
        // with r open (≈ 1) it adds inside the tanh. z shut, so h' = n.
        GRUCell cell = new GRUCell(1, 1, new Random(0));
        for (var p : cell.parameters()) {
            p.data().fill(0);
        }
        Variable x = new Variable(NDArray.of(new double[][] {{0.4}}));
        Variable h = new Variable(NDArray.of(new double[][] {{0.9}}));
        cell.weightIh().data().copyFrom(NDArray.of(new double[][] {{0}, {0}, {1.0}})); // rows r, z, n
        cell.biasHh().data().copyFrom(NDArray.of(0, 0, 0.7));
        cell.biasIh().data().copyFrom(NDArray.of(-60, -60, 0)); // r ≈ 0, z ≈ 0
        assertEquals(Math.tanh(0.4), cell.forward(x, h).item(), 1e-15);
        cell.biasIh().data().copyFrom(NDArray.of(60, -60, 0)); // r ≈ 1, z ≈ 0
        assertEquals(Math.tanh(0.4 + 0.7), cell.forward(x, h).item(), 1e-15);
        cell.biasIh().data().copyFrom(NDArray.of(60, 60, 0)); // z ≈ 1: the state is kept
        assertEquals(0.9, cell.forward(x, h).item(), 1e-15);
    }

    @Test
    void zeroWeightsGiveHalfTheOldState() {
        // r = z = 1/2, n = tanh(0) = 0: h' = z h = h/2
        GRUCell cell = new GRUCell(2, 2, new Random(0));
        for (var p : cell.parameters()) {
            p.data().fill(0);
        }
        NDArray h = NDArray.of(new double[][] {{1.5, -0.25}});
        Variable out = cell.forward(new Variable(NDArray.of(new double[][] {{3.0, -1.0}})), new Variable(h));
        assertArrayEquals(new double[] {0.75, -0.125}, out.data().toArray(), 1e-15);
    }

    @Test
    void badShapesNameTheExpectedShape() {
        GRUCell cell = new GRUCell(3, 2, new Random(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(new Variable(NDArray.zeros(2, 3, 1))));
        assertTrue(e.getMessage().contains("GRUCell: expected a 2-D input of shape (N, inputSize=3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(new Variable(NDArray.zeros(4, 3)), new Variable(NDArray.zeros(4))));
        assertTrue(e.getMessage().contains("hidden state of shape (4, 2)"), e.getMessage());
    }
}
