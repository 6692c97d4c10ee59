package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.SampleFunctions.MaxDim;
import dev.nabla.autograd.SampleFunctions.SinCos;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The multi-output custom {@link Function} API: values, gradients per output, context, checks, second order. */
class FunctionTest {
    private static final double[] XS = {0.0, Math.PI / 6, 1.0, -2.5};

    private static Variable x() {
        return new Variable(NDArray.of(XS), true);
    }

    private static double[] map(java.util.function.DoubleUnaryOperator f) {
        double[] r = new double[XS.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(XS[i]);
        }
        return r;
    }

    /** Two outputs {@code (2x, 3x)} that records the output gradients its backward receives. */
    static final class Probe extends Function {
        final List<Variable[]> seen = new ArrayList<>();
        private final boolean materialize;
        private final boolean markSecond;

        Probe(boolean materialize, boolean markSecond) {
            this.materialize = materialize;
            this.markSecond = markSecond;
        }

        @Override
        protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
            ctx.setMaterializeGrads(materialize);
            NDArray second = x[0].mul(3.0).reshape(1, x[0].size());
            if (markSecond) {
                ctx.markNonDifferentiable(second);
            }
            return new NDArray[] {x[0].mul(2.0), second};
        }

        @Override
        protected Variable[] backward(FunctionContext ctx, Variable... g) {
            seen.add(g.clone());
            Variable gx = g[0] == null ? null : g[0].mul(2.0);
            if (g[1] != null) {
                Variable t = g[1].reshape(-1).mul(3.0);
                gx = gx == null ? t : gx.add(t);
            }
            return new Variable[] {gx};
        }
    }

    @Test
    void sinCosKnownValuesAndRecording() {
        Variable x = x();
        Variable[] sc = new SinCos().apply(x);
        assertEquals(2, sc.length);
        assertArrayEquals(map(Math::sin), sc[0].data().toArray(), 1e-15);
        assertArrayEquals(map(Math::cos), sc[1].data().toArray(), 1e-15);
        assertTrue(sc[0].requiresGrad() && sc[1].requiresGrad());
        assertSame(sc[0].creator(), sc[1].creator(), "one node records both outputs");
        assertEquals("SinCos", sc[0].creator().name());
        assertEquals(x.generation() + 1, sc[1].generation());
    }

    @Test
    void gradientOfEachOutputSeparatelyAndOfBoth() {
        Variable x = x();
        new SinCos().apply(x)[0].sum().backward();
        assertArrayEquals(map(Math::cos), x.grad().data().toArray(), 1e-15);

        x = x();
        new SinCos().apply(x)[1].sum().backward();
        assertArrayEquals(map(v -> -Math.sin(v)), x.grad().data().toArray(), 1e-15);

        x = x();
        Variable[] sc = new SinCos().apply(x);
        sc[0].mul(2.0).add(sc[1].mul(3.0)).sum().backward();
        assertArrayEquals(map(v -> 2 * Math.cos(v) - 3 * Math.sin(v)), x.grad().data().toArray(), 1e-15);

        // both outputs as roots of one pass, with their own seeds
        x = x();
        sc = new SinCos().apply(x);
        NDArray g0 = NDArray.of(1.0, -1.0, 0.5, 2.0);
        NDArray g1 = NDArray.of(3.0, 0.25, -2.0, 1.0);
        Variable[] gx = Autograd.grad(sc, new Variable[] {x}, new Variable[] {new Variable(g0), new Variable(g1)}, false);
        double[] expected = new double[XS.length];
        for (int i = 0; i < XS.length; i++) {
            expected[i] = g0.getFlat(i) * Math.cos(XS[i]) - g1.getFlat(i) * Math.sin(XS[i]);
        }
        assertArrayEquals(expected, gx[0].data().toArray(), 1e-15);
    }

    @Test
    void backwardRunsOnceWhenBothOutputsMeetAgain() {
        Probe p = new Probe(true, false);
        Variable x = x();
        Variable[] y = p.apply(x);
        // y0 * y1 = 6 x² (y1 reshaped back): both outputs reach one later node, backward still runs once
        y[0].mul(y[1].reshape(-1)).sum().backward();
        assertEquals(1, p.seen.size());
        assertArrayEquals(map(v -> 12 * v), x.grad().data().toArray(), 1e-12);
        // and sin·cos = sin(2x)/2 has the derivative cos(2x)
        Variable z = x();
        Variable[] sc = new SinCos().apply(z);
        sc[0].mul(sc[1]).sum().backward();
        assertArrayEquals(map(v -> Math.cos(2 * v)), z.grad().data().toArray(), 1e-15);
    }

    @Test
    void unusedOutputGetsMaterializedZerosOrNull() {
        Probe p = new Probe(true, false);
        p.apply(x())[0].sum().backward();
        Variable[] g = p.seen.get(0);
        assertArrayEquals(new double[] {1, 1, 1, 1}, g[0].data().toArray());
        assertNotNull(g[1], "materialized by default, as in PyTorch");
        assertArrayEquals(new int[] {1, 4}, g[1].shape());
        assertArrayEquals(new double[4], g[1].data().toArray());

        Probe q = new Probe(false, false);
        Variable x = x();
        q.apply(x)[1].sum().backward();
        assertNull(q.seen.get(0)[0], "setMaterializeGrads(false): an unused output's gradient is null");
        assertArrayEquals(new double[] {3, 3, 3, 3}, x.grad().data().toArray());
    }

    @Test
    void nonDifferentiableOutputs() {
        Variable x = new Variable(NDArray.of(new double[] {1, 5, 2, 7, 0, 3}, 2, 3), true);
        Variable[] vi = new MaxDim(1, false).apply(x);
        assertArrayEquals(new double[] {5, 7}, vi[0].data().toArray());
        assertEquals(DType.INT64, vi[1].dtype());
        assertArrayEquals(new double[] {1, 0}, vi[1].data().toArray());
        assertTrue(vi[0].requiresGrad());
        assertFalse(vi[1].requiresGrad());
        assertNull(vi[1].creator());
        vi[0].mul(Variable.of(2.0, -1.0)).sum().backward();
        assertArrayEquals(new double[] {0, 2, 0, -1, 0, 0}, x.grad().data().toArray(), 0.0); // -0.0 where -1 meets the mask

        Variable w = new Variable(NDArray.of(new double[] {4, 1, 9, 9.5}, 2, 2), true);
        Variable[] kept = new MaxDim(0, true).apply(w);
        assertArrayEquals(new int[] {1, 2}, kept[1].shape());
        assertArrayEquals(new double[] {1, 1}, kept[1].data().toArray());

        // a float output marked non-differentiable: a constant; backward gets zeros for it, or null
        Probe p = new Probe(true, true);
        Variable[] y = p.apply(x());
        assertTrue(y[0].requiresGrad());
        assertFalse(y[1].requiresGrad());
        y[0].sum().backward();
        assertArrayEquals(new double[4], p.seen.get(0)[1].data().toArray());
        Probe q = new Probe(false, true);
        q.apply(x())[0].sum().backward();
        assertNull(q.seen.get(0)[1]);
    }

    @Test
    void markingAnArrayForwardDidNotReturnFails() {
        Function bad = new Function() {
            @Override
            protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
                ctx.markNonDifferentiable(x[0]);
                return new NDArray[] {x[0].mul(2.0)};
            }

            @Override
            protected Variable[] backward(FunctionContext ctx, Variable... g) {
                return new Variable[] {g[0].mul(2.0)};
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bad.apply(x()));
        assertTrue(e.getMessage().contains("markNonDifferentiable got an array of shape (4,)"), e.getMessage());
        assertTrue(e.getMessage().contains("that forward did not return"), e.getMessage());
    }

    /** {@code exp} saving its output, to check the version of a saved output. */
    static final class SavedExp extends Function {
        @Override
        protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
            NDArray y = x[0].exp();
            ctx.saveForBackward(y);
            return new NDArray[] {y};
        }

        @Override
        protected Variable[] backward(FunctionContext ctx, Variable... g) {
            return new Variable[] {g[0].mul(ctx.savedTensors()[0])};
        }
    }

    @Test
    void savedTensorModifiedInPlaceFailsNamingIt() {
        Variable x = x();
        Variable[] sc = new SinCos().apply(x);
        int v = x.data().version();
        x.data().addInPlace(NDArray.of(1, 1, 1, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sc[0].sum().backward());
        assertEquals("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: saved tensor 0 (input 0) of SinCos with shape (4,) is at version " + (v + 1)
                + "; expected version " + v + " instead. Do not modify arrays in place between forward and backward "
                + "(use copy()).", e.getMessage());

        Variable[] y = new SavedExp().apply(x());
        y[0].data().addInPlace(NDArray.of(1, 1, 1, 1));
        e = assertThrows(IllegalStateException.class, () -> y[0].sum().backward());
        assertTrue(e.getMessage().contains("saved tensor 0 (output 0) of SavedExp with shape (4,)"), e.getMessage());
    }

    @Test
    void savedOutputIsTheOutputVariable() {
        Variable x = x();
        Variable[] y = new SavedExp().apply(x);
        y[0].sum().backward();
        assertArrayEquals(map(Math::exp), x.grad().data().toArray(), 1e-15);
    }

    /** {@code a * b} recording needsInputGrad as seen in forward and backward. */
    static final class MulProbe extends Function {
        final List<String> seen = new ArrayList<>();

        @Override
        protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
            seen.add("forward " + ctx.needsInputGrad(0) + " " + ctx.needsInputGrad(1));
            ctx.saveForBackward(x[0], x[1]);
            return new NDArray[] {x[0].mul(x[1])};
        }

        @Override
        protected Variable[] backward(FunctionContext ctx, Variable... g) {
            seen.add("backward " + ctx.needsInputGrad(0) + " " + ctx.needsInputGrad(1));
            Variable[] s = ctx.savedTensors();
            return new Variable[] {ctx.needsInputGrad(0) ? g[0].mul(s[1]) : null,
                                   ctx.needsInputGrad(1) ? g[0].mul(s[0]) : null};
        }
    }

    @Test
    void needsInputGradInForwardAndBackward() {
        Variable a = new Variable(NDArray.of(2.0, 3.0), true);
        Variable b = Variable.constant(NDArray.of(5.0, 7.0));
        MulProbe m = new MulProbe();
        m.apply(a, b)[0].sum().backward();
        assertEquals(List.of("forward true false", "backward true false"), m.seen);
        assertArrayEquals(new double[] {5, 7}, a.grad().data().toArray());

        MulProbe off = new MulProbe();
        Variable[] y;
        try (Autograd.Scope s = Autograd.noGrad()) {
            y = off.apply(a, new Variable(NDArray.of(1.0, 1.0), true));
        }
        assertEquals(List.of("forward false false"), off.seen);
        assertFalse(y[0].requiresGrad());
        assertNull(y[0].creator());
    }

    @Test
    void wrongGradientCountShapeOrNullFailsNamingTheFunction() {
        final class BadCount extends Function {
            @Override
            protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
                return new NDArray[] {x[0].add(x[1])};
            }

            @Override
            protected Variable[] backward(FunctionContext ctx, Variable... g) {
                return new Variable[] {g[0]};
            }
        }
        final class BadShape extends Function {
            @Override
            protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
                return new NDArray[] {x[0].sum(), x[0].mul(2.0)};
            }

            @Override
            protected Variable[] backward(FunctionContext ctx, Variable... g) {
                return new Variable[] {g[0].reshape(1)};
            }
        }
        final class NullArray extends Function {
            @Override
            protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
                return new NDArray[] {x[0].copy()};
            }

            @Override
            protected Variable[] backward(FunctionContext ctx, Variable... g) {
                return null;
            }
        }
        Variable a = x();
        Variable[] y = new BadCount().apply(a, x());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y[0].sum().backward());
        assertEquals("function BadCountBackward returned an incorrect number of gradients (expected 2, got 1)",
                e.getMessage());
        Variable[] z = new BadShape().apply(x());
        e = assertThrows(IllegalStateException.class, () -> z[0].backward());
        assertEquals("Function BadShapeBackward returned an invalid gradient at index 0 - got (1,) but expected shape "
                + "compatible with (4,)", e.getMessage());
        Variable[] n = new NullArray().apply(x());
        e = assertThrows(IllegalStateException.class, () -> n[0].sum().backward());
        assertTrue(e.getMessage().startsWith("function NullArrayBackward returned null"), e.getMessage());
    }

    @Test
    void secondOrderThroughCreateGraph() {
        Variable x = x();
        Variable[] sc = new SinCos().apply(x);
        Variable f = sc[0].mul(0.7).add(sc[1].mul(-1.3)).sum();
        Variable[] g = Autograd.grad(new Variable[] {f}, new Variable[] {x}, null, true);
        assertArrayEquals(map(v -> 0.7 * Math.cos(v) + 1.3 * Math.sin(v)), g[0].data().toArray(), 1e-15);
        assertTrue(g[0].requiresGrad());
        Variable[] h = Autograd.grad(new Variable[] {g[0].sum()}, new Variable[] {x}, null, false);
        assertArrayEquals(map(v -> -0.7 * Math.sin(v) + 1.3 * Math.cos(v)), h[0].data().toArray(), 1e-15);
    }

    @Test
    void gradCheckAndGradGradCheck() {
        NDArray a = NDArray.of(new double[] {0.3, -1.2, 2.0, 0.7, -0.4, 1.1}, 2, 3);
        java.util.function.Function<Variable[], Variable> sincos = v -> {
            Variable[] sc = new SinCos().apply(v[0]);
            return sc[0].mul(sc[1].add(2.0));
        };
        GradCheck.check(sincos, a).orThrow();
        GradGradCheck.check(sincos, a).orThrow();
        java.util.function.Function<Variable[], Variable> maxDim = v -> new MaxDim(-1, true).apply(v[0])[0].square();
        GradCheck.check(maxDim, a).orThrow();
        GradGradCheck.check(maxDim, a).orThrow();
    }

    @Test
    void savedValuesAreFreedAfterBackwardUnlessRetained() {
        Variable x = x();
        Variable[] sc = new SinCos().apply(x);
        Variable loss = sc[0].add(sc[1]).sum();
        loss.backward(null, true, false);
        loss.backward(null, true, false);
        assertArrayEquals(map(v -> 2 * (Math.cos(v) - Math.sin(v))), x.grad().data().toArray(), 1e-15);
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().startsWith("Trying to backward through the graph a second time"), e.getMessage());
        assertTrue(e.getMessage().contains("Specify retainGraph=true"), e.getMessage());
    }

    @Test
    void oneInstanceMayBeAppliedManyTimes() {
        SinCos f = new SinCos();
        Variable x1 = x();
        Variable x2 = new Variable(NDArray.of(0.5, 1.5), true);
        Variable[] a = f.apply(x1);
        Variable[] b = f.apply(x2);
        assertNotSame(a[0].creator(), b[0].creator());
        b[1].sum().backward();
        a[0].sum().backward();
        assertArrayEquals(map(Math::cos), x1.grad().data().toArray(), 1e-15);
        assertArrayEquals(new double[] {-Math.sin(0.5), -Math.sin(1.5)}, x2.grad().data().toArray(), 1e-15);
    }

    @Test
    void nonTensorValuesAndContextMisuse() {
        final class Scale extends Function {
            @Override
            protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
                ctx.put("k", 2.5);
                return new NDArray[] {x[0].mul(2.5)};
            }

            @Override
            protected Variable[] backward(FunctionContext ctx, Variable... g) {
                double k = ctx.get("k");
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ctx.get("K"));
                assertTrue(e.getMessage().contains("no value was stored under 'K' (stored: [k])"), e.getMessage());
                IllegalStateException late = assertThrows(IllegalStateException.class, () -> ctx.put("z", 1));
                assertTrue(late.getMessage().contains("can only be called inside forward"), late.getMessage());
                return new Variable[] {g[0].mul(k)};
            }
        }
        Variable x = x();
        new Scale().apply(x)[0].sum().backward();
        assertArrayEquals(new double[] {2.5, 2.5, 2.5, 2.5}, x.grad().data().toArray());
    }

    @Test
    void retainGradAndHooksOnOutputs() {
        Variable x = x();
        Variable[] sc = new SinCos().apply(x);
        sc[1].retainGrad();
        sc[0].registerHook(g -> g.mul(10.0));
        sc[0].add(sc[1].mul(3.0)).sum().backward();
        assertArrayEquals(new double[] {3, 3, 3, 3}, sc[1].grad().data().toArray());
        assertArrayEquals(map(v -> 10 * Math.cos(v) - 3 * Math.sin(v)), x.grad().data().toArray(), 1e-14);
    }

    @Test
    void graphExportShowsEveryOutput() {
        Variable x = x().named("x");
        Variable[] sc = new SinCos().apply(x);
        sc[0].named("sin");
        sc[1].named("cos");
        String dot = Dot.toDot(sc[0].mul(sc[1]).named("p"), false);
        // ids in discovery order: p 0, Mul 1, sin 2, SinCos 3 (queued with sin), cos 4, x 5
        assertTrue(dot.contains("  3 [label=\"SinCos\""), dot);
        assertTrue(dot.contains("  3 -> 2\n") && dot.contains("  3 -> 4\n") && dot.contains("  5 -> 3\n"), dot);
        assertEquals(1, dot.split("label=\"cos\"", -1).length - 1, dot);
    }

    @Test
    void severalThreadsBackpropagateThroughOneRetainedFunction() throws Exception {
        Variable x = x();
        Variable[] sc = new SinCos().apply(x);
        Variable loss = sc[0].mul(sc[1]).sum();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Variable>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> Autograd.grad(new Variable[] {loss}, new Variable[] {x}, null, false,
                        true)[0]));
            }
            for (java.util.concurrent.Future<Variable> f : results) {
                assertArrayEquals(map(v -> Math.cos(2 * v)), f.get().data().toArray(), 1e-15);
            }
        } finally {
            pool.shutdown();
        }
        assertNull(x.grad(), "Autograd.grad leaves .grad untouched");
    }

    @Test
    void integerOutputsAreConstantsAndEmptyOrNullForwardIsRefused() {
        final class WithArgmax extends Function {
            @Override
            protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
                ctx.saveForBackward(x[0]);
                return new NDArray[] {x[0].mul(x[0]), x[0].argmax(0)};
            }

            @Override
            protected Variable[] backward(FunctionContext ctx, Variable... g) {
                assertEquals(DType.INT64, g[1].dtype(), "an integer output's materialized zeros keep its dtype");
                return new Variable[] {g[0].mul(ctx.savedTensors()[0]).mul(2.0)};
            }
        }
        Variable x = new Variable(NDArray.of(3.0, -4.0), true);
        Variable[] y = new WithArgmax().apply(x);
        assertFalse(y[1].requiresGrad(), "an INT64 output is never differentiable, marked or not");
        assertEquals(0, (int) y[1].item());
        y[0].sum().backward();
        assertArrayEquals(new double[] {6, -8}, x.grad().data().toArray());

        final class Empty extends Function {
            @Override
            protected NDArray[] forward(FunctionContext ctx, NDArray... x) {
                return new NDArray[0];
            }

            @Override
            protected Variable[] backward(FunctionContext ctx, Variable... g) {
                return new Variable[0];
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Empty().apply(x));
        assertEquals("Empty.forward returned no outputs; return an array with at least one output", e.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> new Empty().apply(x, null));
        assertTrue(n.getMessage().startsWith("Empty.apply: input 1 is null"), n.getMessage());
    }

    @Test
    void aDeepChainOfFunctionsNeedsNoRecursion() {
        // x_{k+1} = sin(x_k) through SinCos (its cos output unused), 30000 deep: d x_n / d x_0 = prod cos(x_k)
        Variable x0 = new Variable(NDArray.of(0.3), true);
        Variable v = x0;
        double value = 0.3;
        double derivative = 1.0;
        for (int k = 0; k < 30_000; k++) {
            Variable[] sc = new SinCos(k % 2 == 0).apply(v);
            v = sc[0];
            derivative *= Math.cos(value);
            value = Math.sin(value);
        }
        v.sum().backward();
        assertEquals(value, v.item(), 0.0);
        assertEquals(derivative, x0.grad().item(), Math.abs(derivative) * 1e-12);
    }
}
