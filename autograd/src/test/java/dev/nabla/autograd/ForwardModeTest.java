package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Known answers of forward-mode AD ({@link ForwardAD}) and the transforms built on it. */
class ForwardModeTest {
    private static void assertClose(NDArray expected, NDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        assertTrue(actual.allClose(expected, 1e-9, 1e-9), () -> "expected " + expected + " but got " + actual);
    }

    private static final NDArray X = NDArray.of(0.3, -1.2, 2.0);
    private static final NDArray V = NDArray.of(1.0, 0.5, -2.0);

    @Test
    void dualValuesPropagateTangentsByHand() {
        // d/dt sin(x + t v) at t = 0 is cos(x) v
        try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            Variable x = ForwardAD.makeDual(Variable.constant(X), Variable.constant(V));
            Variable y = x.sin();
            assertClose(X.sin(), y.data());
            assertClose(X.cos().mul(V), ForwardAD.unpackDual(y).tangent().data());
            // product rule, quotient rule and a reduction, element by element
            Variable z = x.mul(x.exp()).div(x.square().add(1.0)).sum();
            double expected = 0;
            for (int i = 0; i < 3; i++) {
                double a = X.getFlat(i);
                double d = (Math.exp(a) * (1 + a) * (a * a + 1) - a * Math.exp(a) * 2 * a) / Math.pow(a * a + 1, 2);
                expected += d * V.getFlat(i);
            }
            assertEquals(expected, ForwardAD.unpackDual(z).tangent().item(), 1e-12);
            assertEquals(0, level.depth());
        }
    }

    @Test
    void forwardModeRecordsNoBackwardGraph() {
        Variable p = new Variable(X.copy(), true);
        try (Autograd.Scope s = Autograd.noGrad(); ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            Variable y = ForwardAD.makeDual(p, Variable.constant(V)).tanh();
            assertFalse(y.requiresGrad());
            assertNull(y.creator());
            Variable t = ForwardAD.tangent(y);
            assertClose(NDArray.onesLike(X).sub(X.tanh().square()).mul(V), t.data());
            assertFalse(t.requiresGrad());
        }
    }

    @Test
    void unpackDualSplitsAndClosingALevelForgetsItsTangents() {
        Variable y;
        try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            Variable x = ForwardAD.makeDual(Variable.constant(X), Variable.constant(V));
            y = x.mul(3.0);
            ForwardAD.Dual d = ForwardAD.unpackDual(y);
            assertClose(X.mul(3.0), d.primal().data());
            assertNull(ForwardAD.tangent(d.primal()));
            assertClose(V.mul(3.0), d.tangent().data());
            assertNull(ForwardAD.unpackDual(Variable.constant(X)).tangent());
        }
        assertFalse(ForwardAD.isEnabled());
        try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            assertNull(ForwardAD.unpackDual(y).tangent(), "a closed level's tangent must not be visible");
        }
    }

    @Test
    void jvpIsTrueForwardModeAndAgreesWithTheDoubleVjpTrick() {
        Autograd.Fn f = z -> z[0].sin().mul(z[1]).add(z[0].matmul(z[1]).mul(z[0]));
        NDArray b = NDArray.of(0.7, 0.1, -0.4);
        NDArray ub = NDArray.of(-1, 2, 0.25);
        NDArray[] xs = {X, b};
        NDArray[] us = {V, ub};
        NDArray fwd = Autograd.jvp(f, xs, us);
        assertClose(Autograd.jvpByDoubleVjp(f, xs, us), fwd);
        // by hand: d[sin(x) b + (x·b) x] = cos(x) u b + sin(x) ub + (u·b + x·ub) x + (x·b) u
        double xb = X.mul(b).sum().item();
        double dxb = V.mul(b).sum().item() + X.mul(ub).sum().item();
        assertClose(X.cos().mul(V).mul(b).add(X.sin().mul(ub)).add(X.mul(dxb)).add(V.mul(xb)), fwd);
    }

    @Test
    void jvpOfSeveralOutputsCreateGraphAndStrict() {
        Autograd.MultiFn f = z -> new Variable[] {z[0].exp(), z[0].mul(z[1]).sum(), Variable.constant(1.0)};
        Variable x = new Variable(X.copy(), true);
        Variable w = new Variable(NDArray.of(2, 3, 4), true);
        Autograd.JvpResult r = Autograd.jvp(f, new Variable[] {x, w},
                new Variable[] {Variable.constant(V), Variable.constant(NDArray.zeros(3))}, false, false);
        assertClose(X.exp(), r.outputs()[0].data());
        assertClose(X.exp().mul(V), r.tangents()[0].data());
        assertEquals(V.mul(NDArray.of(2, 3, 4)).sum().item(), r.tangents()[1].item(), 1e-12);
        assertClose(NDArray.scalar(0.0), r.tangents()[2].data()); // independent output: zeros
        assertFalse(r.tangents()[0].requiresGrad(), "without createGraph nothing is recorded");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Autograd.jvp(f,
                new Variable[] {x, w}, new Variable[] {Variable.constant(V), Variable.constant(V)}, false, true));
        assertTrue(e.getMessage().contains("output 2") && e.getMessage().contains("strict"), e.getMessage());
        // with createGraph the tangent is differentiable: d/dx Σ (exp(x) v) = exp(x) v
        Autograd.JvpResult g = Autograd.jvp(z -> new Variable[] {z[0].exp().sum()}, new Variable[] {x},
                new Variable[] {Variable.constant(V)}, true, false);
        assertTrue(g.tangents()[0].requiresGrad());
        assertClose(X.exp().mul(V), Autograd.grad(g.tangents()[0], x)[0].data());
    }

    @Test
    void jvpOfAGradientIsForwardOverReverse() {
        // jvp(x -> ∇f(x)) = H v for f = Σ x⁴ / 12: H = diag(x²)
        Variable x = new Variable(X.copy(), true);
        Autograd.MultiFn gradF = z -> Autograd.grad(new Variable[] {z[0].pow(4).sum().div(12)}, z, null, true);
        Autograd.JvpResult r = Autograd.jvp(gradF, new Variable[] {x}, new Variable[] {Variable.constant(V)}, true, true);
        assertClose(X.pow(3).div(3), r.outputs()[0].data());
        assertClose(X.square().mul(V), r.tangents()[0].data());
    }

    @Test
    void jvpOfJvpGivesSecondDirectionalDerivatives() {
        // f(x) = Σ x³: d²/ds dt f(x + t u + s v) = Σ 6 x u v
        NDArray u = NDArray.of(0.5, 1.5, -1.0);
        Autograd.Fn inner = z -> Autograd.jvp(y -> new Variable[] {y[0].pow(3).sum()}, new Variable[] {z[0]},
                new Variable[] {Variable.constant(u)}, false, false).tangents()[0];
        NDArray second = Autograd.jvp(inner, new NDArray[] {X}, new NDArray[] {V});
        assertEquals(X.mul(u).mul(V).mul(6.0).sum().item(), second.item(), 1e-12);
        // levels nest: the inner level sees the outer tangent, not the other way round
        try (ForwardAD.DualLevel outer = ForwardAD.dualLevel()) {
            Variable x = ForwardAD.makeDual(Variable.constant(X), Variable.constant(V), outer);
            try (ForwardAD.DualLevel in = ForwardAD.dualLevel()) {
                assertEquals(1, in.depth());
                Variable xx = ForwardAD.makeDual(x, Variable.constant(u), in);
                Variable y = xx.sin();
                Variable t = ForwardAD.unpackDual(y, in).tangent(); // cos(x) u, itself dual at the outer level
                assertClose(X.cos().mul(u), t.data());
                assertClose(X.sin().neg().mul(u).mul(V), ForwardAD.unpackDual(t, outer).tangent().data());
                assertClose(X.cos().mul(V), ForwardAD.unpackDual(y, outer).tangent().data());
            }
        }
    }

    @Test
    void jacfwdEqualsJacrevOnRandomFunctions() {
        Random rng = new Random(17);
        for (int trial = 0; trial < 10; trial++) {
            NDArray a = NDArray.randn(rng, 3, 2);
            NDArray b = NDArray.randn(rng, 2);
            Variable m = Variable.constant(NDArray.randn(rng, 2, 3));
            Autograd.MultiFn f = z -> new Variable[] {
                z[0].matmul(z[1]).tanh(),
                F.softmax(z[0].mul(z[1]), 1).sum(0).mul(z[1].sigmoid()),
                z[0].matmul(m).exp().sum().reshape(1)};
            NDArray[][] jf = Autograd.jacfwd(f, new NDArray[] {a, b}, false);
            NDArray[][] jr = Autograd.jacrev(f, new NDArray[] {a, b}, false);
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 2; i++) {
                    assertClose(jr[j][i], jf[j][i]);
                }
            }
            assertArrayEquals(new int[] {3, 3, 2}, jf[0][0].shape());
            assertArrayEquals(new int[] {1, 2}, jf[2][1].shape());
        }
        NDArray x = NDArray.randn(rng, 2, 3);
        assertClose(Autograd.jacobian(z -> z[0].exp().cumsum(1), x), Autograd.jacfwd(z -> z[0].exp().cumsum(1), x));
        assertClose(Autograd.jacobian(z -> z[0].exp().cumsum(1), x), Autograd.jacrev(z -> z[0].exp().cumsum(1), x));
    }

    @Test
    void jacobianStrictModeNamesTheIndependentPair() {
        Autograd.MultiFn f = z -> new Variable[] {z[0].mul(2.0), z[0].sum()};
        NDArray[] xs = {X, V};
        for (boolean fwd : new boolean[] {true, false}) {
            NDArray[][] j = fwd ? Autograd.jacfwd(f, xs, false) : Autograd.jacrev(f, xs, false);
            assertClose(NDArray.zeros(3, 3), j[0][1]);
            assertClose(NDArray.eye(3).mul(2.0), j[0][0]);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> { if (fwd) Autograd.jacfwd(f, xs, true); else Autograd.jacrev(f, xs, true); });
            assertTrue(e.getMessage().contains("Output 0 of the user-provided function is independent of input 1"),
                    e.getMessage());
        }
    }

    @Test
    void hessianOfAQuadraticFormIsAPlusATranspose() {
        NDArray a = NDArray.of(new double[][] {{1, 2, 0}, {-3, 4, 5}, {0.5, 0, 6}});
        Autograd.Fn quad = z -> z[0].matmul(Variable.constant(a)).matmul(z[0]);
        assertClose(a.add(a.transpose()), Autograd.hessian(quad, X));
        // several inputs: f(x, y) = xᵀ A y has H_xx = H_yy = 0, H_xy = A, H_yx = Aᵀ
        NDArray[][] h = Autograd.hessian(z -> z[0].matmul(Variable.constant(a)).matmul(z[1]), new NDArray[] {X, V});
        assertClose(NDArray.zeros(3, 3), h[0][0]);
        assertClose(a, h[0][1]);
        assertClose(a.transpose(), h[1][0]);
        assertClose(NDArray.zeros(3, 3), h[1][1]);
    }

    @Test
    void rosenbrockHessianAtTheMinimum() {
        Autograd.Fn rosen = z -> {
            Variable x = z[0].getItem(dev.nabla.ndarray.Index.at(0));
            Variable y = z[0].getItem(dev.nabla.ndarray.Index.at(1));
            return x.rsub(1.0).square().add(y.sub(x.square()).square().mul(100.0));
        };
        NDArray expected = NDArray.of(new double[][] {{802, -400}, {-400, 200}});
        assertClose(expected, Autograd.hessian(rosen, NDArray.of(1, 1)));
        assertClose(expected, Autograd.hessianByDoubleBackward(rosen, NDArray.of(1, 1)));
        assertClose(expected.matmul(NDArray.of(1, -2)), Autograd.hvp(rosen, NDArray.of(1, 1), NDArray.of(1, -2)));
    }

    @Test
    void hvpOfSeveralInputsIsTheHessianBlocksTimesV() {
        Autograd.Fn f = z -> z[0].sin().mul(z[1].exp()).sum().add(z[0].mul(z[0]).matmul(z[1]));
        NDArray y = NDArray.of(0.1, -0.2, 0.3);
        NDArray vy = NDArray.of(2, 0, -1);
        NDArray[] hv = Autograd.hvp(f, new NDArray[] {X, y}, new NDArray[] {V, vy});
        NDArray[][] h = Autograd.hessian(f, new NDArray[] {X, y});
        assertClose(h[0][0].matmul(V).add(h[0][1].matmul(vy)), hv[0]);
        assertClose(h[1][0].matmul(V).add(h[1][1].matmul(vy)), hv[1]);
        assertClose(Autograd.hvpByDoubleBackward(z -> z[0].sin().mul(Variable.constant(y.exp())).sum()
                .add(z[0].mul(z[0]).matmul(Variable.constant(y))), X, V),
                Autograd.hvp(z -> z[0].sin().mul(Variable.constant(y.exp())).sum()
                        .add(z[0].mul(z[0]).matmul(Variable.constant(y))), X, V));
    }

    @Test
    void customFunctionsUseTheirJvp() {
        try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            Variable x = ForwardAD.makeDual(Variable.constant(X), Variable.constant(V));
            Variable[] sc = new SampleFunctions.SinCos().apply(x);
            assertClose(X.cos().mul(V), ForwardAD.tangent(sc[0]).data());
            assertClose(X.sin().neg().mul(V), ForwardAD.tangent(sc[1]).data());
            Variable[] vi = new SampleFunctions.MaxDim(0, false).apply(x);
            assertEquals(-2.0, ForwardAD.tangent(vi[0]).item(), 0.0); // the tangent at the arg-max (x = 2)
            assertNull(ForwardAD.tangent(vi[1]), "indices carry no tangent");
        }
        final class NoJvp extends Function {
            @Override
            protected NDArray[] forward(FunctionContext ctx, NDArray... in) {
                return new NDArray[] {in[0].mul(2.0)};
            }

            @Override
            protected Variable[] backward(FunctionContext ctx, Variable... g) {
                return new Variable[] {g[0].mul(2.0)};
            }
        }
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Autograd.jvp(z -> new NoJvp().apply(z[0])[0], new NDArray[] {X}, new NDArray[] {V}));
        assertTrue(e.getMessage().startsWith("function NoJvp does not implement jvp"), e.getMessage());
    }

    @Test
    void tangentShapeMismatchesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.jvp(z -> z[0].sin(), new NDArray[] {X}, new NDArray[] {NDArray.ones(2)}));
        assertTrue(e.getMessage().contains("tangent 0 has shape (2,) but input 0 has shape (3,)"), e.getMessage());
        try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                    () -> ForwardAD.makeDual(Variable.constant(X), Variable.constant(NDArray.ones(3, 1))));
            assertTrue(m.getMessage().contains("the tangent has shape (3, 1) but the primal has shape (3,)"),
                    m.getMessage());
            Node wrong = new Node() {
                @Override
                protected NDArray forward(NDArray... xs) {
                    return xs[0].sum();
                }

                @Override
                protected Variable[] backward(Variable gy) {
                    return new Variable[] {gy.broadcastTo(input(0).shape())};
                }

                @Override
                protected Variable tangent(Variable[] t) {
                    return t[0]; // forgot to sum
                }

                @Override
                public String name() {
                    return "BadSum";
                }
            };
            Variable x = ForwardAD.makeDual(Variable.constant(X), Variable.constant(V));
            IllegalStateException s = assertThrows(IllegalStateException.class, () -> wrong.apply(x));
            assertTrue(s.getMessage().contains("the tangent rule of BadSum returned a tangent of shape (3,) but its "
                    + "output has shape ()"), s.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> ForwardAD.makeDual(Variable.constant(X), Variable.constant(V)));
    }

    @Test
    void levelsArePerThread() throws Exception {
        try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            Variable x = ForwardAD.makeDual(Variable.constant(X), Variable.constant(V));
            Variable[] seen = new Variable[2];
            Throwable[] failure = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    seen[0] = x.sin(); // no level is open here: a plain value
                    seen[1] = ForwardAD.tangent(seen[0]);
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            other.start();
            other.join();
            assertNull(failure[0]);
            assertClose(X.sin(), seen[0].data());
            assertNull(seen[1]);
            assertNull(seen[0].tangentAt(level), "the other thread computed no tangent");
            assertClose(X.cos().mul(V), ForwardAD.tangent(x.sin()).data());
        }
    }

    @Test
    void levelsCloseInnermostFirst() {
        ForwardAD.DualLevel outer = ForwardAD.dualLevel();
        ForwardAD.DualLevel inner = ForwardAD.dualLevel();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("not the innermost"), e.getMessage());
        inner.close();
        outer.close();
        assertTrue(outer.isClosed());
        assertFalse(ForwardAD.isEnabled());
    }

    @Test
    void float32TangentsStayFloat32() {
        try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            NDArray x32 = X.astype(DType.FLOAT32);
            Variable x = ForwardAD.makeDual(Variable.constant(x32), Variable.constant(V)); // tangent converted
            Variable t = ForwardAD.tangent(x.exp().mul(2.0).sum());
            assertEquals(DType.FLOAT32, t.dtype());
            assertEquals(X.exp().mul(V).mul(2.0).sum().item(), t.item(), 1e-5);
        }
    }

    @Test
    void dualOfALeafBackpropagatesToTheLeaf() {
        Variable leaf = new Variable(X.copy(), true);
        try (ForwardAD.DualLevel level = ForwardAD.dualLevel()) {
            Variable d = ForwardAD.makeDual(leaf, Variable.constant(V));
            assertSame(leaf, d.creator().inputs()[0]);
            Variable y = d.square().sum();
            Variable g = Autograd.grad(new Variable[] {y}, new Variable[] {leaf}, null, false)[0];
            assertClose(X.mul(2.0), g.data());
            assertClose(V.mul(2.0), ForwardAD.tangent(g).data()); // forward over reverse: H v = 2 v
        }
    }
}
