package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The function transforms compute derivatives whatever the caller's grad mode, as PyTorch's
 * torch.autograd.functional and torch.func do: called inside {@code noGrad()} they give the same
 * known answers, and the caller's grad mode is restored afterwards.
 */
class GradModeIndependenceTest {
    private static final NDArray X = NDArray.of(1, 2, 3);

    private static void assertValues(double[] expected, NDArray actual) {
        assertArrayEquals(expected, actual.toArray(), 1e-12, () -> "got " + actual);
    }

    @AfterEach
    void gradModeIsRestored() {
        assertTrue(Autograd.isGradEnabled());
    }

    @Test
    void vjpInsideNoGrad() {
        try (Autograd.Scope s = Autograd.noGrad()) {
            NDArray[] g = Autograd.vjp(z -> z[0].square(), new NDArray[] {X}, NDArray.of(1, 1, 2));
            assertValues(new double[] {2, 4, 12}, g[0]); // v · 2x
            assertFalse(Autograd.isGradEnabled());
        }
    }

    @Test
    void jvpInsideNoGrad() {
        try (Autograd.Scope s = Autograd.noGrad()) {
            NDArray t = Autograd.jvp(z -> z[0].square(), new NDArray[] {X}, new NDArray[] {NDArray.of(1, 0, 2)});
            assertValues(new double[] {2, 0, 12}, t); // 2x · u
            assertFalse(Autograd.isGradEnabled());
        }
    }

    @Test
    void jacobianInsideNoGrad() {
        try (Autograd.Scope s = Autograd.noGrad()) {
            NDArray j = Autograd.jacobian(z -> z[0].square(), X);
            assertValues(new double[] {2, 0, 0, 0, 4, 0, 0, 0, 6}, j);
            assertFalse(Autograd.isGradEnabled());
        }
    }

    @Test
    void hessianInsideNoGrad() {
        try (Autograd.Scope s = Autograd.noGrad()) {
            NDArray h = Autograd.hessian(z -> z[0].pow(3).sum(), X); // diag(6x)
            assertValues(new double[] {6, 0, 0, 0, 12, 0, 0, 0, 18}, h);
            assertFalse(Autograd.isGradEnabled());
        }
    }

    @Test
    void hvpInsideNoGrad() {
        try (Autograd.Scope s = Autograd.noGrad()) {
            NDArray hv = Autograd.hvp(z -> z[0].pow(3).sum(), X, NDArray.of(1, -1, 0.5));
            assertValues(new double[] {6, -12, 9}, hv); // 6x · v
            assertFalse(Autograd.isGradEnabled());
        }
    }

    @Test
    void gradWithCreateGraphInsideNoGradGivesSecondDerivatives() {
        Variable x = Variable.of(1, 2, 3);
        Variable y;
        try (Autograd.Scope s = Autograd.enableGrad()) {
            y = x.pow(3).sum();
        }
        try (Autograd.Scope s = Autograd.noGrad()) {
            Variable g = Autograd.grad(new Variable[] {y}, new Variable[] {x}, null, true)[0];
            assertValues(new double[] {3, 12, 27}, g.data()); // 3x²
            Variable gg = Autograd.grad(new Variable[] {g}, new Variable[] {x},
                    new Variable[] {Variable.constant(NDArray.ones(3))}, false)[0];
            assertValues(new double[] {6, 12, 18}, gg.data()); // 6x
            assertFalse(Autograd.isGradEnabled());
        }
    }

    @Test
    void gradCheckAndGradGradCheckInsideNoGrad() {
        try (Autograd.Scope s = Autograd.noGrad()) {
            GradCheck.Result first = GradCheck.check(z -> z[0].sin().mul(z[1]), X, NDArray.of(0.5, -1, 2));
            assertTrue(first.passed(), first::toString);
            GradCheck.Result second = GradGradCheck.check(z -> z[0].sin().mul(z[1]), X, NDArray.of(0.5, -1, 2));
            assertTrue(second.passed(), second::toString);
            // a wrong gradient is still caught inside noGrad, not hidden behind a zero
            GradCheck.Result wrong = GradCheck.check(z -> new GradCheckTest.ReversingIdentity().apply(z[0]), X);
            assertFalse(wrong.passed(), wrong::toString);
            assertFalse(Autograd.isGradEnabled());
        }
    }
}
