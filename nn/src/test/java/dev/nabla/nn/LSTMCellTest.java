package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import java.util.List;
import java.util.Random;

class LSTMCellTest {

    @Test
    void matchesTheScalarReference() {
        Random r = new Random(11);
        LSTMCell cell = new LSTMCell(3, 4, r);
        NDArray x = NDArray.randn(r, 5, 3);
        NDArray h = NDArray.randn(r, 5, 4);
        NDArray c = NDArray.randn(r, 5, 4);
        LSTMState s = cell.forward(new Variable(x), new LSTMState(new Variable(h), new Variable(c)));
        double[][][] ref = RNNReference.lstm(RNNReference.mat(x), RNNReference.mat(h), RNNReference.mat(c),
                RNNReference.mat(cell.weightIh().data()), RNNReference.mat(cell.weightHh().data()),
                cell.biasIh().data().toArray(), cell.biasHh().data().toArray());
        assertTrue(RNNReference.maxDiff(ref[0], s.h().data()) < 1e-12);
        assertTrue(RNNReference.maxDiff(ref[1], s.c().data()) < 1e-12);
        assertArrayEquals(new int[] {16, 3}, cell.weightIh().shape()); // (4H, inputSize), as torch.nn.LSTMCell
        assertArrayEquals(new int[] {16, 4}, cell.weightHh().shape());
        assertArrayEquals(new int[] {16}, cell.biasIh().shape());
    }

    @Test
    void zeroWeightsOpenEveryGateHalfway() {
        // all pre-activations 0: i = f = o = 1/2 and g = 0, so c' = c/2 and h' = tanh(c/2)/2
        LSTMCell cell = new LSTMCell(2, 3, new Random(0));
        for (var p : cell.parameters()) {
            p.data().fill(0);
        }
        NDArray c = NDArray.of(new double[][] {{1.0, -2.0, 0.5}});
        LSTMState s = cell.forward(new Variable(NDArray.of(new double[][] {{0.3, -0.7}})),
                new LSTMState(new Variable(NDArray.zeros(1, 3)), new Variable(c)));
        for (int j = 0; j < 3; j++) {
            double cj = c.get(0, j);
            assertEquals(cj / 2, s.c().data().get(0, j), 1e-15);
            assertEquals(Math.tanh(cj / 2) / 2, s.h().data().get(0, j), 1e-15);
        }
    }

    @Test
    void gateBlocksFollowPyTorchOrderIFGO() {
        // saturate one gate at a time through its bias block and watch the predicted effect
        LSTMCell cell = new LSTMCell(1, 1, new Random(0));
        for (var p : cell.parameters()) {
            p.data().fill(0);
        }
        Variable x = new Variable(NDArray.of(new double[][] {{0.0}}));
        LSTMState s0 = new LSTMState(new Variable(NDArray.zeros(1, 1)), new Variable(NDArray.of(new double[][] {{0.8}})));
        // forget gate (block 1) fully open, input gate (block 0) shut: the memory is kept
        cell.biasIh().data().copyFrom(NDArray.of(-50, 50, 0, 50));
        LSTMState s = cell.forward(x, s0);
        assertEquals(0.8, s.c().item(), 1e-15);
        assertEquals(Math.tanh(0.8), s.h().item(), 1e-15);
        // candidate (block 2) saturated at +1, input gate open, forget shut: the memory is overwritten by 1
        cell.biasIh().data().copyFrom(NDArray.of(50, -50, 50, 50));
        s = cell.forward(x, s0);
        assertEquals(1.0, s.c().item(), 1e-15);
        // output gate (block 3) shut: h' = 0 whatever the memory
        cell.biasIh().data().copyFrom(NDArray.of(50, 50, 50, -50));
        s = cell.forward(x, s0);
        assertEquals(1.8, s.c().item(), 1e-12);
        assertEquals(0.0, s.h().item(), 1e-20);
    }

    @Test
    void noBiasAndDefaultZeroState() {
        LSTMCell cell = new LSTMCell(2, 3, false, new Random(1));
        assertEquals(List.of("weight_ih", "weight_hh"), List.copyOf(cell.namedParameters().keySet()));
        Variable x = new Variable(NDArray.randn(new Random(2), 4, 2));
        LSTMState a = cell.forward(x, null);
        LSTMState b = cell.forward(x, new LSTMState(new Variable(NDArray.zeros(4, 3)), new Variable(NDArray.zeros(4, 3))));
        assertEquals(a.h().data(), b.h().data());
        assertEquals(a.c().data(), b.c().data());
        assertEquals(a.h().data(), cell.forward(x).data());
    }

    @Test
    void badShapesNameTheExpectedShape() {
        LSTMCell cell = new LSTMCell(3, 2, new Random(0));
        Variable x = new Variable(NDArray.zeros(4, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(new Variable(NDArray.zeros(4, 2)), null));
        assertTrue(e.getMessage().contains("LSTMCell: expected input of shape (N, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cell.forward(x,
                new LSTMState(new Variable(NDArray.zeros(4, 2)), new Variable(NDArray.zeros(3, 2)))));
        assertTrue(e.getMessage().contains("cell state of shape (4, 2)") && e.getMessage().contains("(3, 2)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.lstmCell(x, new Variable(NDArray.zeros(4, 2)),
                new Variable(NDArray.zeros(4, 2)), new Variable(NDArray.zeros(3, 8)), new Variable(NDArray.zeros(2, 8)),
                null, null)); // the old (in, 4H) layout
        assertEquals("LSTMCell: expected weight_ih of shape (4*H, inputSize) and weight_hh of shape (4*H, H) (PyTorch's "
                + "layout), got (3, 8) and (2, 8)", e.getMessage());
    }
}
