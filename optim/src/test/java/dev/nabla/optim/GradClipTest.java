package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clipping by global norm and by value. */
class GradClipTest {

    static Parameter withGrad(NDArray value, double... grad) {
        Parameter p = new Parameter(value);
        p.setGrad(new Variable(NDArray.of(grad).reshape(value.shape())));
        return p;
    }

    @Test
    void globalNormIsOverAllParametersAndReturnedBeforeClipping() {
        // gradients (3, 4) and (12): global norm √(9 + 16 + 144) = 13
        Parameter a = withGrad(NDArray.zeros(2), 3, 4);
        Parameter b = withGrad(NDArray.zeros(1), 12);
        Parameter none = new Parameter(NDArray.zeros(3));
        double norm = GradClip.clipGradNorm(List.of(a, b, none), 6.5);
        assertEquals(13.0, norm, 1e-15);
        // scaled by 6.5/13 = 0.5, direction kept
        assertEquals(NDArray.of(1.5, 2.0), a.grad().data());
        assertEquals(NDArray.of(6.0), b.grad().data());
        assertEquals(6.5, GradClip.gradNorm(List.of(a, b), 2), 1e-15);
        assertEquals(null, none.grad());
    }

    @Test
    void normsBelowTheThresholdAreLeftUntouched() {
        Parameter a = withGrad(NDArray.zeros(2), 3, 4);
        NDArray before = a.grad().data();
        assertEquals(5.0, GradClip.clipGradNorm(List.of(a), 5.0), 1e-15);
        assertSame(before, a.grad().data());
        assertEquals(5.0, GradClip.clipGradNorm(List.of(a), 100.0), 1e-15);
        assertEquals(NDArray.of(3.0, 4.0), a.grad().data());
    }

    @Test
    void sharedGradientArraysAreScaledOnceNotTwice() {
        // loss = sum(a + b): both gradients may be the same array; clipping must not scale it twice.
        Parameter a = new Parameter(NDArray.of(1.0, 2.0));
        Parameter b = new Parameter(NDArray.of(3.0, 4.0));
        a.add(b).sum().backward();
        double norm = GradClip.clipGradNorm(List.of(a, b), 1.0);
        assertEquals(2.0, norm, 1e-15); // four ones
        assertEquals(NDArray.of(0.5, 0.5), a.grad().data());
        assertEquals(NDArray.of(0.5, 0.5), b.grad().data());
        // a parameter listed twice counts once
        Parameter c = withGrad(NDArray.zeros(2), 3, 4);
        assertEquals(5.0, GradClip.clipGradNorm(List.of(c, c), 1.0), 1e-15);
        assertEquals(NDArray.of(0.6, 0.8).maxAbsDiff(c.grad().data()), 0.0, 1e-15);
    }

    @Test
    void otherNormOrdersAndExtremeMagnitudes() {
        Parameter a = withGrad(NDArray.zeros(3), 1, -7, 2);
        assertEquals(7.0, GradClip.clipGradNorm(List.of(a), 3.5, Double.POSITIVE_INFINITY, true), 0);
        assertEquals(NDArray.of(0.5, -3.5, 1.0), a.grad().data());
        Parameter b = withGrad(NDArray.zeros(3), 1, -7, 2);
        assertEquals(10.0, GradClip.clipGradNorm(List.of(b), 100, 1, true), 1e-13);
        // squaring 1e200 would overflow; the scaled computation does not
        Parameter big = withGrad(NDArray.zeros(2), 3e200, 4e200);
        assertEquals(5e200, GradClip.clipGradNorm(List.of(big), 1.0), 1e186);
        assertEquals(0.6, big.grad().data().getFlat(0), 1e-15);
        Parameter tiny = withGrad(NDArray.zeros(2), 3e-200, 4e-200);
        assertEquals(5e-200, GradClip.gradNorm(List.of(tiny), 2), 1e-214);
    }

    @Test
    void nonFiniteNormsFailOrAreReportedUntouched() {
        Parameter a = new Parameter(NDArray.zeros(2), "fc.weight");
        a.setGrad(new Variable(NDArray.of(1.0, Double.NaN)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradClip.clipGradNorm(List.of(a), 1.0));
        assertTrue(e.getMessage().contains("is NaN; the gradient of parameter 'fc.weight' of shape [2] holds NaN at flat index 1"), e.getMessage());
        Parameter b = new Parameter(NDArray.zeros(2));
        b.setGrad(new Variable(NDArray.of(Double.POSITIVE_INFINITY, 1.0)));
        assertEquals(Double.POSITIVE_INFINITY, GradClip.clipGradNorm(List.of(b), 1.0, 2, false));
        assertEquals(Double.POSITIVE_INFINITY, b.grad().data().getFlat(0));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(List.of(b), -1.0));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(List.of(b), 1.0, 0.5, true));
    }

    @Test
    void clipByValueClampsEachElement() {
        Parameter a = withGrad(NDArray.zeros(2, 2), -3, 0.5, 2, -0.25);
        Parameter none = new Parameter(NDArray.zeros(1));
        GradClip.clipGradValue(List.of(a, none), 1.0);
        assertEquals(NDArray.of(new double[] {-1, 0.5, 1, -0.25}, 2, 2), a.grad().data());
        assertEquals(null, none.grad());
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradValue(List.of(a), Double.NaN));
    }
}
