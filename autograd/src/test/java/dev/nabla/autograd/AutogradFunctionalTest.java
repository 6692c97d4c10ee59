package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Autograd.grad and the functional API (vjp, jvp, jacobian, hessian, hvp) against known answers. */
class AutogradFunctionalTest {
    private static final NDArray A = NDArray.of(new double[][] {{1, 2, 0}, {-1, 3, 4}, {0.5, 0, 2}});

    private static void assertClose(NDArray expected, NDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        assertTrue(actual.allClose(expected, 1e-9, 1e-9), () -> "expected " + expected + " but got " + actual);
    }

    @Test
    void gradLeavesDotGradAlone() {
        Variable x = Variable.of(1, 2, 3);
        Variable w = Variable.of(4, 5, 6);
        Variable previous = new Variable(NDArray.of(7, 7, 7));
        x.setGrad(previous);
        Variable h = x.mul(w).retainGrad();
        Variable y = h.sum();
        Variable[] g = Autograd.grad(y, x, w);
        assertClose(NDArray.of(4, 5, 6), g[0].data());
        assertClose(NDArray.of(1, 2, 3), g[1].data());
        assertSame(previous, x.grad());
        assertNull(w.grad());
        assertNull(h.grad());
    }

    @Test
    void gradOfAnUnusedInputIsZeroAndNonRequiringInputsAreRejected() {
        Variable x = Variable.of(1, 2);
        Variable z = Variable.of(3, 4, 5);
        Variable[] g = Autograd.grad(x.square().sum(), x, z);
        assertClose(NDArray.of(2, 4), g[0].data());
        assertClose(NDArray.zeros(3), g[1].data());
        Variable c = new Variable(NDArray.of(1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(x.mul(c).sum(), c));
        assertTrue(e.getMessage().contains("input 0 does not require grad"), e.getMessage());
    }

    @Test
    void gradWithCreateGraphGivesHigherDerivatives() {
        // d/dx sin = cos, d²/dx² sin = -sin, d³/dx³ sin = -cos
        Variable x = Variable.scalar(0.7);
        Variable g1 = Autograd.grad(new Variable[] {x.sin()}, new Variable[] {x}, null, true)[0];
        Variable g2 = Autograd.grad(new Variable[] {g1}, new Variable[] {x}, null, true)[0];
        Variable g3 = Autograd.grad(new Variable[] {g2}, new Variable[] {x}, null, false)[0];
        assertEquals(Math.cos(0.7), g1.item(), 1e-12);
        assertEquals(-Math.sin(0.7), g2.item(), 1e-12);
        assertEquals(-Math.cos(0.7), g3.item(), 1e-12);
    }

    @Test
    void gradWithoutRetainGraphFreesTheGraph() {
        Variable x = Variable.scalar(2);
        Variable y = x.exp().mul(x);
        Autograd.grad(new Variable[] {y}, new Variable[] {x}, null, false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Autograd.grad(new Variable[] {y}, new Variable[] {x}, null, false));
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
        Variable x2 = Variable.scalar(2);
        Variable y2 = x2.exp().mul(x2);
        double first = Autograd.grad(new Variable[] {y2}, new Variable[] {x2}, null, false, true)[0].item();
        double second = Autograd.grad(new Variable[] {y2}, new Variable[] {x2}, null, false, true)[0].item();
        assertEquals(3 * Math.exp(2), first, 1e-12);
        assertEquals(first, second);
    }

    @Test
    void vjpOfALinearMapIsTheTransposedProduct() {
        NDArray x = NDArray.of(1, -2, 0.5);
        NDArray v = NDArray.of(0.3, -1, 2);
        NDArray[] g = Autograd.vjp(z -> Variable.constant(A).matmul(z[0]), new NDArray[] {x}, v);
        assertClose(A.transpose().matmul(v), g[0]);
    }

    @Test
    void vjpOfABinaryOpGivesOneProductPerInput() {
        NDArray a = NDArray.of(1, 2, 3);
        NDArray b = NDArray.of(4, 5, 6);
        NDArray v = NDArray.of(1, 0, -1);
        NDArray[] g = Autograd.vjp(z -> z[0].mul(z[1]), new NDArray[] {a, b}, v);
        assertClose(v.mul(b), g[0]);
        assertClose(v.mul(a), g[1]);
    }

    @Test
    void jvpOfALinearMapIsTheProduct() {
        NDArray x = NDArray.of(1, -2, 0.5);
        NDArray u = NDArray.of(2, 0, -1);
        NDArray j = Autograd.jvp(z -> Variable.constant(A).matmul(z[0]), new NDArray[] {x}, new NDArray[] {u});
        assertClose(A.matmul(u), j);
    }

    @Test
    void jvpOfElementwiseOpsScalesTheTangent() {
        NDArray x = NDArray.of(0.1, 0.5, -1.2);
        NDArray u = NDArray.of(1, 2, 3);
        assertClose(x.cos().mul(u), Autograd.jvp(z -> z[0].sin(), new NDArray[] {x}, new NDArray[] {u}));
        // two inputs: d(a*b) = b da + a db
        NDArray b = NDArray.of(2, 3, 4);
        NDArray ub = NDArray.of(-1, 0, 1);
        assertClose(b.mul(u).add(x.mul(ub)),
                Autograd.jvp(z -> z[0].mul(z[1]), new NDArray[] {x, b}, new NDArray[] {u, ub}));
        // an output that does not depend on the inputs
        assertClose(NDArray.zeros(3), Autograd.jvp(z -> Variable.constant(x), new NDArray[] {x}, new NDArray[] {u}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.jvp(z -> z[0].sin(), new NDArray[] {x}, new NDArray[] {NDArray.ones(2)}));
        assertTrue(e.getMessage().contains("tangent 0 has shape (2,) but input 0 has shape (3,)"), e.getMessage());
    }

    @Test
    void jacobianOfElementwiseOpsIsDiagonal() {
        NDArray x = NDArray.of(0.3, -0.8, 1.5, 2.0);
        NDArray j = Autograd.jacobian(z -> z[0].exp(), x);
        assertArrayEquals(new int[] {4, 4}, j.shape());
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(r == c ? Math.exp(x.getFlat(r)) : 0.0, j.get(r, c), 1e-12);
            }
        }
        NDArray t = Autograd.jacobian(z -> z[0].tanh(), x);
        for (int r = 0; r < 4; r++) {
            double th = Math.tanh(x.getFlat(r));
            assertEquals(1 - th * th, t.get(r, r), 1e-12);
        }
    }

    @Test
    void jacobianOfALinearMapIsTheMatrixAndShapesConcatenate() {
        assertClose(A, Autograd.jacobian(z -> Variable.constant(A).matmul(z[0]), NDArray.of(1, 2, 3)));
        // y (2,) from x (2, 3): Jacobian shape (2, 2, 3); row sums of x have the indicator Jacobian
        NDArray j = Autograd.jacobian(z -> z[0].sum(1), NDArray.ones(2, 3));
        assertArrayEquals(new int[] {2, 2, 3}, j.shape());
        for (int i = 0; i < 2; i++) {
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(i == r ? 1.0 : 0.0, j.get(i, r, c));
                }
            }
        }
        // softmax: J = diag(s) - s sᵀ
        NDArray x = NDArray.of(0.5, -1, 2);
        NDArray s = x.exp().div(x.exp().sum());
        NDArray js = Autograd.jacobian(z -> F.softmax(z[0], 0), x);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                double expected = (r == c ? s.getFlat(r) : 0) - s.getFlat(r) * s.getFlat(c);
                assertEquals(expected, js.get(r, c), 1e-12);
            }
        }
    }

    @Test
    void hessianOfAQuadraticFormIsASymmetrisedMatrix() {
        // f(x) = xᵀ A x has Hessian A + Aᵀ everywhere
        NDArray h = Autograd.hessian(z -> z[0].matmul(Variable.constant(A)).matmul(z[0]), NDArray.of(0.2, -1, 3));
        assertClose(A.add(A.transpose()), h);
    }

    @Test
    void hessianOfRosenbrockAtItsMinimum() {
        // f = 100 (x1 - x0²)² + (1 - x0)²; at (1, 1): [[802, -400], [-400, 200]]
        Autograd.Fn rosen = z -> {
            Variable x0 = z[0].getItem(dev.nabla.ndarray.Index.at(0));
            Variable x1 = z[0].getItem(dev.nabla.ndarray.Index.at(1));
            return x1.sub(x0.square()).square().mul(100).add(x0.rsub(1).square());
        };
        assertClose(NDArray.of(new double[][] {{802, -400}, {-400, 200}}), Autograd.hessian(rosen, NDArray.of(1, 1)));
        // and its gradient at (0, 2) is (-2, 400), the numbers of DeZero step 28
        Variable p = Variable.of(0, 2);
        Variable[] g = Autograd.grad(rosen.apply(p), p);
        assertClose(NDArray.of(-2, 400), g[0].data());
    }

    @Test
    void hessianOfAnAffineFunctionIsZero() {
        assertClose(NDArray.zeros(3, 3), Autograd.hessian(z -> z[0].mul(2.0).sum(), NDArray.of(1, 2, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.hessian(z -> z[0].square(), NDArray.of(1, 2)));
        assertTrue(e.getMessage().contains("hessian: f must return a single value"), e.getMessage());
    }

    @Test
    void hvpMatchesTheHessianTimesV() {
        NDArray x = NDArray.of(0.2, -1, 3);
        NDArray v = NDArray.of(1, 0.5, -2);
        Autograd.Fn quad = z -> z[0].matmul(Variable.constant(A)).matmul(z[0]);
        assertClose(A.add(A.transpose()).matmul(v), Autograd.hvp(quad, x, v));
        // a non-quadratic function: f = Σ x⁴ / 12 has H = diag(x²)
        assertClose(x.square().mul(v), Autograd.hvp(z -> z[0].pow(4).sum().div(12), x, v));
        // agreement with the full Hessian on a random smooth function
        Random r = new Random(11);
        NDArray y = NDArray.randn(r, 4);
        NDArray w = NDArray.randn(r, 4);
        Autograd.Fn f = z -> F.logsumexp(z[0].sin().mul(z[0]), 0, false);
        assertClose(Autograd.hessian(f, y).matmul(w), Autograd.hvp(f, y, w));
        assertClose(NDArray.zeros(3), Autograd.hvp(z -> z[0].sum(), x, v));
    }

    @Test
    void functionalApiDoesNotModifyItsArguments() {
        NDArray x = NDArray.of(1, 2, 3);
        NDArray copy = x.copy();
        Autograd.jacobian(z -> z[0].square(), x);
        Autograd.hessian(z -> z[0].square().sum(), x);
        Autograd.hvp(z -> z[0].square().sum(), x, NDArray.ones(3));
        assertEquals(copy, x);
        assertEquals(0, x.version());
    }
}
