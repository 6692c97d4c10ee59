package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/** Bad input to the functions of {@link F} is refused with a message, never a silently wrong answer (issue 12). */
class FunctionalInputChecksTest {

    @Test
    void mseRefusesShapesThatWouldBroadcast() {
        // y (3) against t (3, 1) used to broadcast to (3, 3): 1.333 for equal values and a (3, 3) gradient
        Variable y = Variable.of(1, 2, 3);
        Variable t = new Variable(NDArray.of(new double[] {1, 2, 3}, 3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.mseLoss(y, t));
        assertTrue(e.getMessage().startsWith("mseLoss: input shape (3,) and target shape (3, 1) differ"), e.getMessage());
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
        // the same values in one shape give 0 and a gradient of y's shape
        Variable loss = Functional.mseLoss(y, t.reshape(3));
        assertEquals(0.0, loss.item());
        loss.backward();
        assertArrayEquals(new int[] {3}, y.grad().shape());
    }

    @Test
    void softmaxCrossEntropyIgnoresPyTorchsIgnoreIndexAndNamesBadLabels() {
        Variable x = new Variable(NDArray.of(new double[][] {{1, 2, 3}, {0, 0, 0}, {3, 1, 2}}), true);
        double kept = Functional.crossEntropy(new Variable(NDArray.of(new double[][] {{1, 2, 3}, {3, 1, 2}})),
                new int[] {0, 2}).item();
        assertEquals(kept, Functional.crossEntropy(x, new int[] {0, -100, 2}).item(), 0.0);
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                () -> Functional.crossEntropy(x, new int[] {0, 3, 1}));
        assertTrue(oob.getMessage().contains("crossEntropy: target 3 at position 1 is out of bounds for 3 classes"),
                oob.getMessage());
    }

    @Test
    void linearChecksItsShapesAndKeepsLeadingAxes() {
        Variable x = new Variable(NDArray.ones(2, 3));
        Variable w = new Variable(NDArray.ones(2, 3)); // (out, in), PyTorch's layout
        // a bias of shape (1,) used to broadcast silently
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.linear(x, w, new Variable(NDArray.ones(1))));
        assertTrue(e.getMessage().contains("linear: bias must have shape (2,)") && e.getMessage().contains("got (1,)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.linear(new Variable(NDArray.ones(2, 4)), w, null));
        assertTrue(e.getMessage().contains("expected input of shape (..., 3)"), e.getMessage());
        Variable y = Functional.linear(new Variable(NDArray.ones(4, 5, 3)), w, new Variable(NDArray.of(1, 2)));
        assertArrayEquals(new int[] {4, 5, 2}, y.shape());
        assertEquals(4.0, y.data().get(3, 4, 0));
        assertEquals(5.0, y.data().get(3, 4, 1));
    }

    @Test
    void splitRefusesNegativeSizesAndSizesThatDoNotTileTheAxis() {
        Variable x = Variable.of(1, 2, 3);
        // sizes {-1, 4} add up to 3 and used to return overlapping pieces
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.split(x, 0, -1, 4));
        assertEquals("split: split sizes [-1, 4] must be non-negative, but size 0 is -1 (dimension 0 of shape (3,) "
                + "has size 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.data().split(0, 4, -1));
        assertTrue(e.getMessage().contains("must be non-negative, but size 1 is -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.split(x, 0, 1, 1));
        assertTrue(e.getMessage().contains("split sizes [1, 1] add up to 2 but dimension 0 of shape (3,) has size 3"),
                e.getMessage());
        // sizes whose int sum wraps around to the axis length
        e = assertThrows(IllegalArgumentException.class,
                () -> x.data().split(0, Integer.MAX_VALUE, Integer.MAX_VALUE, 5));
        assertTrue(e.getMessage().contains("add up to 4294967299"), e.getMessage());
        Variable[] parts = F.split(x, 0, 0, 2, 1);
        assertEquals(3, parts.length);
        assertEquals(NDArray.zeros(0), parts[0].data());
        assertEquals(NDArray.of(1, 2), parts[1].data());
        assertEquals(NDArray.of(3), parts[2].data());
    }

    @Test
    void accuracyRefusesRowLabelMismatchAndLabelsOutOfRange() {
        NDArray logits = NDArray.of(new double[][] {{0, 1}, {1, 0}, {0, 1}});
        assertEquals(2.0 / 3, Functional.accuracy(logits, new int[] {1, 0, 0}), 0.0);
        // fewer labels than rows used to score only the first rows
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.accuracy(logits, new int[] {1, 0}));
        assertEquals("accuracy: expected one label per row of logits (3, 2) (3 labels) but got 2 labels", e.getMessage());
        // more labels than rows used to throw a raw ArrayIndexOutOfBoundsException
        e = assertThrows(IllegalArgumentException.class, () -> Functional.accuracy(logits, new int[] {1, 0, 0, 1}));
        assertTrue(e.getMessage().contains("but got 4 labels"), e.getMessage());
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                () -> Functional.accuracy(logits, new int[] {1, 2, 0}));
        assertEquals("accuracy: label 2 at position 1 is out of bounds for 2 classes (valid labels are 0..1)",
                oob.getMessage());
        oob = assertThrows(IndexOutOfBoundsException.class, () -> Functional.accuracy(logits, new int[] {1, 0, -1}));
        assertTrue(oob.getMessage().contains("label -1 at position 2"), oob.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.accuracy(NDArray.of(1, 2), new int[] {1}));
        assertTrue(e.getMessage().contains("expected logits of shape (N, C), got (2,)"), e.getMessage());
    }
}
