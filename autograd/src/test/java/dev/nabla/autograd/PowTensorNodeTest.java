package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/**
 * {@code Variable.pow(Variable)} is a primitive with PyTorch's values and masked gradients (issue 12);
 * it used to be {@code exp(y log x)}, NaN for a negative base and NaN gradients at base 0.
 */
class PowTensorNodeTest {

    private static Variable[] pow(double base, double exponent) {
        Variable x = Variable.scalar(base);
        Variable y = Variable.scalar(exponent);
        Variable z = x.pow(y);
        z.backward();
        return new Variable[] {z, x.grad(), y.grad()};
    }

    @Test
    void negativeBaseWithIntegerExponentIsTheRealPower() {
        Variable[] r = pow(-2, 3);
        assertEquals(-8.0, r[0].item());
        assertEquals(12.0, r[1].item(), "d/dx = 3 (-2)^2");
        assertTrue(Double.isNaN(r[2].item()), "d/dy = x^y log x is NaN for a negative base, as in PyTorch");
        r = pow(-2, 2);
        assertEquals(4.0, r[0].item());
        assertEquals(-4.0, r[1].item(), "d/dx = 2 (-2)");
        assertTrue(Double.isNaN(pow(-2, 0.5)[0].item()), "a negative base with a non-integer exponent is NaN");
    }

    @Test
    void gradientsAtBaseZeroAreFinite() {
        Variable[] r = pow(0, 2);
        assertEquals(0.0, r[0].item());
        assertEquals(0.0, r[1].item(), "d/dx = 2·0");
        assertEquals(0.0, r[2].item(), "d/dy masked where x == 0 and y >= 0");
        r = pow(0, 0);
        assertEquals(1.0, r[0].item());
        assertEquals(0.0, r[1].item(), "d/dx masked where y == 0");
        assertEquals(0.0, r[2].item());
        r = pow(3, 0);
        assertEquals(1.0, r[0].item());
        assertEquals(0.0, r[1].item());
        assertEquals(Math.log(3), r[2].item(), 1e-15);
        // a negative exponent at base 0 is a pole: inf, and the exponent gradient is not masked
        r = pow(0, -1);
        assertEquals(Double.POSITIVE_INFINITY, r[0].item());
    }

    @Test
    void positiveBaseMatchesTheClosedForms() {
        Variable[] r = pow(2, 3);
        assertEquals(8.0, r[0].item());
        assertEquals(12.0, r[1].item(), 1e-15);
        assertEquals(8 * Math.log(2), r[2].item(), 1e-14);
    }

    @Test
    void secondDerivativesAtZeroStayFinite() {
        // d²/dx² of x^2 at 0 is 2; d²/dx² of x^0 at 0 is 0: no NaN from the masked positions
        Variable x = new Variable(NDArray.of(0, 0), true);
        Variable y = new Variable(NDArray.of(2, 0), true);
        Variable gx = Autograd.grad(new Variable[] {x.pow(y).sum()}, new Variable[] {x}, null, true, true)[0];
        assertArrayEquals(new double[] {0, 0}, gx.data().toArray());
        Variable gxx = Autograd.grad(new Variable[] {gx.sum()}, new Variable[] {x}, null, false)[0];
        assertArrayEquals(new double[] {2, 0}, gxx.data().toArray());
    }

    @Test
    void broadcastsLikeTheOtherBinaryNodes() {
        Variable x = new Variable(NDArray.of(new double[][] {{1, 2}, {3, 4}}), true);
        Variable y = Variable.of(2, 0);
        Variable z = x.pow(y);
        assertEquals(NDArray.of(new double[][] {{1, 1}, {9, 1}}), z.data());
        z.sum().backward();
        assertEquals(NDArray.of(new double[][] {{2, 0}, {6, 0}}), x.grad().data());
        assertArrayEquals(new double[] {Math.log(3) * 9, Math.log(2) + Math.log(4)}, y.grad().data().toArray(), 1e-14);
    }

    @Test
    void registryEntriesUseTheNode() {
        assertEquals(OpInfo.Kind.PRIMITIVE, Ops.byName("powVar").kind());
        assertEquals(java.util.List.of(PowTensorNode.class), Ops.byName("powVar").nodes());
        assertEquals(java.util.List.of(PowTensorNode.class), Ops.byName("powVarIntegerExponent").nodes());
    }
}
