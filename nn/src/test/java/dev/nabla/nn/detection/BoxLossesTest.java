package dev.nabla.nn.detection;

import dev.nabla.nn.Reduction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/** Hand-computed values of the IoU and GIoU losses, their reductions, gradients and errors. */
class BoxLossesTest {
    private static final double E = BoxLosses.EPS;

    private static Variable rows(double... v) {
        return new Variable(NDArray.of(v, v.length / 4, 4), true);
    }

    @Test
    void perPairValuesMatchTorchvisionsFormula() {
        // pair 0: [0,2]² and [1,3]²: inter 1, union 7, enclosing 9; pair 1: disjoint, union 5, enclosing 12;
        // pair 2: identical unit boxes
        Variable a = rows(0, 0, 2, 2, 0, 0, 2, 2, 0, 0, 1, 1);
        Variable b = rows(1, 1, 3, 3, 5, 0, 6, 1, 0, 0, 1, 1);
        double[] giou = BoxLosses.generalizedBoxIouLoss(a, b).data().toArray();
        assertArrayEquals(new double[] {1 - (1 / (7 + E) - 2 / (9 + E)), 1 - (0 - 7 / (12 + E)), 1 - (1 / (1 + E) - 0)},
                giou, 1e-15);
        double[] iou = BoxLosses.iouLoss(a, b).data().toArray();
        assertArrayEquals(new double[] {1 - 1 / (7 + E), 1, 1 - 1 / (1 + E)}, iou, 1e-15);
        assertEquals(giou[0] + giou[1] + giou[2],
                BoxLosses.generalizedBoxIouLoss(a, b, Reduction.SUM, E).item(), 1e-15);
        assertEquals((iou[0] + iou[1] + iou[2]) / 3, BoxLosses.iouLoss(a, b, Reduction.MEAN, E).item(), 1e-15);
        // no pairs: mean is 0 (not NaN), as torchvision
        Variable none = new Variable(NDArray.zeros(0, 4), true);
        assertEquals(0.0, BoxLosses.generalizedBoxIouLoss(none, none, Reduction.MEAN, E).item());
        assertArrayEquals(new int[] {0}, BoxLosses.iouLoss(none, none).shape());
        // leading axes are kept
        Variable a3 = new Variable(NDArray.of(new double[] {0, 0, 2, 2, 0, 0, 1, 1}, 2, 1, 4));
        assertArrayEquals(new int[] {2, 1}, BoxLosses.generalizedBoxIouLoss(a3, a3).shape());
    }

    @Test
    void gradientOfTheIouLossByHand() {
        // a = [0, x2] x [0, 2] against b = [1, 3]²: inter = (x2 - 1), union = 2 x2 + 4 - (x2 - 1) = x2 + 5,
        // loss = 1 - (x2 - 1) / (x2 + 5 + eps); d/dx2 = -(6 + eps) / (x2 + 5 + eps)² = -(6 + eps) / (7 + eps)² at x2 = 2
        Variable a = rows(0, 0, 2, 2);
        Variable b = rows(1, 1, 3, 3);
        BoxLosses.iouLoss(a, b, Reduction.SUM, E).backward();
        double[] g = a.grad().data().toArray();
        assertEquals(-(6 + E) / ((7 + E) * (7 + E)), g[2], 1e-15);
        // x1 = 0 < b's x1 = 1: only the area depends on it, d union / d x1 = -2, loss' = -inter / (union + eps)² · 2
        assertEquals(-2 / ((7 + E) * (7 + E)), g[0], 1e-15);
    }

    @Test
    void malformedPairsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BoxLosses.generalizedBoxIouLoss(rows(0, 0, 1, 1, 0, 0, 1, 1), rows(0, 0, 1, 1)));
        assertTrue(e.getMessage().startsWith("generalized_box_iou_loss: boxes1 and boxes2 must have the same shape"),
                e.getMessage());
        assertTrue(e.getMessage().contains("(2, 4) and (1, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BoxLosses.iouLoss(rows(2, 0, 1, 1), rows(0, 0, 1, 1)));
        assertTrue(e.getMessage().startsWith("iou_loss: boxes1[0] = (2, 0, 1, 1) has x2 < x1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BoxLosses.iouLoss(new Variable(NDArray.zeros(3)),
                new Variable(NDArray.zeros(3))));
        assertTrue(e.getMessage().contains("(..., 4)") && e.getMessage().contains("got (3,)"), e.getMessage());
    }
}
