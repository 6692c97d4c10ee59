package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/**
 * Only floating-point arrays can require grad (PyTorch's rule): every way of asking for a gradient
 * on an integer or bool array fails with PyTorch's message plus the dtype and the fix, and an
 * operation whose result is integer or bool is a constant even when its input requires grad.
 */
class RequiresGradDtypeTest {

    private static final String PYTORCH = "Only Tensors of floating point and complex dtype can require gradients";

    @Test
    void integerAndBoolArraysCannotRequireGrad() {
        NDArray ids = NDArray.of(new long[] {1, 2, 3}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Variable(ids, true));
        assertEquals("Variable: " + PYTORCH + ", but the array has dtype int64 (shape (3,)); convert it first, e.g. "
                + "data.astype(DType.FLOAT64), or keep it a constant (requiresGrad false): integer and bool values have "
                + "no gradient", e.getMessage());
        for (DType t : DType.values()) {
            NDArray a = NDArray.zeros(t, 2);
            if (t.isFloatingPoint()) {
                assertTrue(new Variable(a, true).requiresGrad(), t + " can require grad");
                continue;
            }
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new Variable(a, true)).getMessage()
                    .contains(PYTORCH + ", but the array has dtype " + t.numpyName()), t.toString());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> new Parameter(a)).getMessage()
                    .startsWith("Parameter: " + PYTORCH), t.toString());
            Variable c = new Variable(a);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.requiresGrad(true)).getMessage()
                    .startsWith("requiresGrad: " + PYTORCH), t.toString());
            assertFalse(c.requiresGrad());
        }
        Parameter p = new Parameter(NDArray.zeros(2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.setData(NDArray.zeros(DType.INT32, 2))).getMessage()
                .startsWith("Parameter.setData: " + PYTORCH));
        assertEquals(DType.FLOAT64, p.dtype(), "unchanged");
        p.setData(NDArray.zeros(DType.FLOAT16, 2)); // a float dtype is fine
        assertEquals(DType.FLOAT16, p.dtype());
    }

    @Test
    void integerResultsOfDifferentiableInputsAreConstants() {
        Variable x = Variable.of(1.5, -2.5);
        Variable i = x.astype(DType.INT64);
        assertEquals(DType.INT64, i.dtype());
        assertFalse(i.requiresGrad(), "a cast to int64 is not differentiable, as in PyTorch");
        assertTrue(i.isLeaf());
        assertArrayEquals(new long[] {1, -2}, i.data().toLongArray());
        // a constant integer operand mixes into a float graph and gets no gradient
        Variable k = Variable.constant(NDArray.of(new long[] {2, 3}, 2));
        Variable y = x.mul(k).sum();
        assertEquals(DType.FLOAT64, y.dtype());
        y.backward();
        assertArrayEquals(new double[] {2, 3}, x.grad().data().toArray());
        assertNull(k.grad());
    }
}
