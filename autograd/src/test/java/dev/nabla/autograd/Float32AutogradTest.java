package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Autograd with float32: the differentiable cast, gradients delivered in each variable's dtype,
 * the scalar seed in the output's dtype, gradient checking refusing float32, and a float32 MLP
 * whose gradients are float32 and agree with the float64 graph.
 */
class Float32AutogradTest {

    static NDArray f32(float... v) {
        return NDArray.of(v, v.length);
    }

    /** Every variable reachable backward from {@code y} (its value's dtype is checked by callers). */
    static Iterable<Variable> graph(Variable y) {
        Map<Variable, Boolean> seen = new IdentityHashMap<>();
        Deque<Variable> stack = new ArrayDeque<>();
        stack.push(y);
        while (!stack.isEmpty()) {
            Variable v = stack.pop();
            if (seen.put(v, Boolean.TRUE) == null && v.creator() != null) {
                for (Variable x : v.creator().inputs()) {
                    stack.push(x);
                }
            }
        }
        return seen.keySet();
    }

    // ------------------------------------------------------------ astype

    @Test
    void astypeToFloat32RoundsForwardAndWidensTheGradientBack() {
        Variable x = new Variable(NDArray.of(0.1, 1.0 / 3, -2.7), true);
        Variable y = x.astype(DType.FLOAT32);
        assertEquals(DType.FLOAT32, y.dtype());
        assertArrayEquals(new float[] {0.1f, 1f / 3, -2.7f}, y.data().toFloatArray());
        assertEquals("Astype", y.creator().name());
        y.mul(y).sum().backward();
        assertEquals(DType.FLOAT64, x.grad().dtype());
        // d/dy sum(y²) = 2y, computed in float32 (exact: doubling), widened exactly
        assertArrayEquals(new double[] {2 * (double) 0.1f, 2 * (double) (1f / 3), 2 * (double) -2.7f},
                x.grad().data().toArray());
    }

    @Test
    void astypeToFloat64GivesAFloat32LeafAFloat32Gradient() {
        Variable x = new Variable(f32(1, 2, 3), true);
        Variable y = x.astype(DType.FLOAT64).mul(0.1).sum();
        assertEquals(DType.FLOAT64, y.dtype());
        y.backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f}, x.grad().data().toFloatArray());
    }

    @Test
    void astypeToTheSameDtypeIsTheVariableItself() {
        Variable x = new Variable(f32(1, 2), true);
        assertSame(x, x.astype(DType.FLOAT32));
        Variable d = Variable.of(1, 2);
        assertSame(d, d.astype(DType.FLOAT64));
    }

    @Test
    void astypeIsTwiceDifferentiable() {
        // f(x) = sum((x as float32)³): f'' = 6x, computed through createGraph in float32
        Variable x = new Variable(NDArray.of(0.5, -1.25), true);
        Variable y = x.astype(DType.FLOAT32).pow(3).sum();
        Variable g = Autograd.grad(new Variable[] {y}, new Variable[] {x}, null, true)[0];
        assertEquals(DType.FLOAT64, g.dtype());
        assertArrayEquals(new double[] {3 * 0.25, 3 * 1.5625}, g.data().toArray());
        Variable gg = Autograd.grad(new Variable[] {g.sum()}, new Variable[] {x}, null, false)[0];
        assertEquals(DType.FLOAT64, gg.dtype());
        assertArrayEquals(new double[] {3.0, -7.5}, gg.data().toArray());
    }

    // ------------------------------------------------------------ the engine delivers each variable's dtype

    @Test
    void mixedGraphsDeliverEachLeafItsOwnDtype() {
        Variable a = new Variable(f32(0.1f, 2f), true);
        Variable b = new Variable(NDArray.of(0.3, -1.1), true);
        Variable z = a.mul(b).sum();
        assertEquals(DType.FLOAT64, z.dtype()); // float32 * float64 promotes
        z.backward();
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertArrayEquals(new float[] {0.3f, -1.1f}, a.grad().data().toFloatArray()); // b, rounded
        assertEquals(DType.FLOAT64, b.grad().dtype());
        assertArrayEquals(new double[] {0.1f, 2f}, b.grad().data().toArray()); // a, widened exactly
    }

    @Test
    void aZeroDimFloat64LeafGetsAFloat64GradientFromAFloat32Graph() {
        Variable x = new Variable(f32(1.5f, 2.25f), true);
        Variable c = new Variable(NDArray.scalar(0.5), true);
        Variable y = x.mul(c).sum();
        assertEquals(DType.FLOAT32, y.dtype()); // a 0-d array does not promote (PyTorch)
        y.backward();
        assertEquals(DType.FLOAT64, c.grad().dtype());
        assertEquals(3.75, c.grad().item());
        assertEquals(DType.FLOAT32, x.grad().dtype());
    }

    @Test
    void scalarSeedHasTheOutputsDtypeAndExplicitSeedsAreConverted() {
        Variable x = new Variable(f32(1, 2), true);
        Variable y = x.sum();
        y.backward(null, true, false);
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new float[] {1, 1}, x.grad().data().toFloatArray());
        x.clearGrad();
        Variable z = x.mul(3.0);
        z.backward(new Variable(NDArray.of(0.1, 1.0))); // a float64 seed for a float32 output
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new float[] {0.1f * 3f, 3f}, x.grad().data().toFloatArray());
    }

    @Test
    void accumulatedGradientsKeepTheLeafDtype() {
        Variable x = new Variable(f32(1, 2), true);
        x.mul(2.0).sum().backward();
        x.astype(DType.FLOAT64).mul(0.5).sum().backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new float[] {2.5f, 2.5f}, x.grad().data().toFloatArray());
    }

    @Test
    void autogradGradReturnsEachInputsDtypeAndZerosForUnusedInputs() {
        Variable x = new Variable(f32(1, 2), true);
        Variable unused = new Variable(NDArray.zeros(DType.FLOAT32, 3), true);
        Variable w = new Variable(NDArray.of(2, 3), true);
        Variable[] g = Autograd.grad(new Variable[] {x.mul(w).sum()}, new Variable[] {x, unused, w}, null, false);
        assertEquals(DType.FLOAT32, g[0].dtype());
        assertEquals(DType.FLOAT32, g[1].dtype());
        assertEquals(DType.FLOAT64, g[2].dtype());
        assertArrayEquals(new float[] {2, 3}, g[0].data().toFloatArray());
        assertArrayEquals(new float[3], g[1].data().toFloatArray());
    }

    @Test
    void doubleArgumentsAndFunctionsKeepAFloat32GraphFloat32() {
        Variable x = new Variable(f32(-1.5f, 0.5f, 2f), true);
        Variable[] ys = {
            x.add(1.0), x.sub(0.1), x.rsub(2.0), x.mul(3.0), x.div(7.0), x.rdiv(1.0), x.pow(2.5).add(x.square()),
            x.mean(), x.var(null, false, 1), F.softmax(x, 0), F.logsumexp(x, 0, false), x.clamp(-1, 1), x.relu(), x.leakyRelu(0.1),
            x.abs(), x.sigmoid(), x.tanh(), x.erf(), x.maximum(Variable.constant(0.0, DType.FLOAT32)),
            F.where(x.data().gt(0.0), x, x.neg()), x.max(), x.min(null, false),
        };
        for (Variable y : ys) {
            for (Variable v : graph(y)) {
                assertEquals(DType.FLOAT32, v.dtype(), "a variable of " + y);
            }
            Variable g = Autograd.grad(new Variable[] {y.sum()}, new Variable[] {x}, null, true)[0];
            for (Variable v : graph(g)) {
                assertEquals(DType.FLOAT32, v.dtype(), "a variable of the backward graph of " + y);
            }
        }
    }

    @Test
    void setGradDemandsTheVariablesDtype() {
        Variable x = new Variable(f32(1, 2), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.setGrad(new Variable(NDArray.of(1, 2))));
        assertEquals("setGrad: assigned grad has dtype float64 but the variable has dtype float32; convert it with "
                + "astype(DType.FLOAT32)", e.getMessage());
        x.setGrad(new Variable(f32(3, 4)));
        assertArrayEquals(new float[] {3, 4}, x.grad().data().toFloatArray());
    }

    // ------------------------------------------------------------ gradient checks need float64

    @Test
    void gradCheckRejectsFloat32Inputs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(v -> v[0].mul(v[1]), NDArray.of(1, 2), f32(1, 2)));
        assertEquals("gradcheck: input 1 is float32; numerical gradients need float64 — call x.astype(DType.FLOAT64)",
                e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> GradGradCheck.check(v -> v[0].exp(), f32(1, 2)));
        assertEquals("gradgradcheck: input 0 is float32; numerical gradients need float64 — call x.astype(DType.FLOAT64)",
                e2.getMessage());
    }

    // ------------------------------------------------------------ a float32 MLP

    /** Two-layer tanh MLP with softmax cross-entropy; returns the loss and the parameters (leaves). */
    private static Variable[] mlp(NDArray x, NDArray w1, NDArray b1, NDArray w2, NDArray b2, int[] labels) {
        Variable[] p = {new Variable(w1, true), new Variable(b1, true), new Variable(w2, true), new Variable(b2, true)};
        Variable h = new Variable(x).matmul(p[0], false, true).add(p[1]).tanh();
        Variable logits = h.matmul(p[2], false, true).add(p[3]);
        int[] rows = new int[labels.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        Variable loss = F.logSoftmax(logits, 1).getItem(Index.of(rows), Index.of(labels)).mean().neg();
        return new Variable[] {loss, p[0], p[1], p[2], p[3]};
    }

    @Test
    void float32MlpGradientsAreFloat32AndAgreeWithFloat64() {
        Random r = new Random(42);
        int n = 16;
        int in = 10;
        int hidden = 32;
        int classes = 5;
        NDArray x = NDArray.randn(r, DType.FLOAT32, n, in);
        NDArray w1 = NDArray.randn(r, DType.FLOAT32, hidden, in).mul(0.3);
        NDArray b1 = NDArray.randn(r, DType.FLOAT32, hidden).mul(0.1);
        NDArray w2 = NDArray.randn(r, DType.FLOAT32, classes, hidden).mul(0.3);
        NDArray b2 = NDArray.randn(r, DType.FLOAT32, classes).mul(0.1);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(classes);
        }
        Variable[] g32 = mlp(x, w1, b1, w2, b2, labels);
        for (Variable v : graph(g32[0])) {
            assertEquals(DType.FLOAT32, v.dtype(), "every value of the float32 graph is float32");
        }
        g32[0].backward();
        Variable[] g64 = mlp(x.astype(DType.FLOAT64), w1.astype(DType.FLOAT64), b1.astype(DType.FLOAT64),
                w2.astype(DType.FLOAT64), b2.astype(DType.FLOAT64), labels);
        g64[0].backward();
        assertEquals(g64[0].item(), g32[0].item(), 1e-6 * Math.abs(g64[0].item()));
        for (int i = 1; i < 5; i++) {
            NDArray a = g32[i].grad().data();
            NDArray b = g64[i].grad().data();
            assertEquals(DType.FLOAT32, a.dtype(), "parameter " + i);
            assertEquals(DType.FLOAT64, b.dtype());
            double scale = b.abs().max(null, false).item();
            assertTrue(scale > 1e-3, "a gradient worth comparing");
            assertTrue(a.maxAbsDiff(b) <= 1e-4 * scale, "parameter " + i + ": max difference " + a.maxAbsDiff(b)
                    + " vs scale " + scale);
        }
    }
}
