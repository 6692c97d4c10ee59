package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-computed cases of {@link Autograd#vmap}: axes, broadcasting, per-example gradients, nesting, errors. */
class VmapTest {
    private static void close(NDArray want, NDArray got) {
        assertArrayEquals(want.shape(), got.shape(), "shape");
        for (int k = 0; k < want.size(); k++) {
            assertEquals(want.getFlat(k), got.getFlat(k), 1e-12, "element " + k);
        }
    }

    @Test
    void logicalShapeInsideAndBatchAxisOutside() {
        Variable x = Variable.constant(NDArray.arange(6).reshape(2, 3)); // batch of 3 along axis 1
        int[][] seen = new int[1][];
        Variable y = Autograd.vmap(v -> {
            seen[0] = v[0].shape();
            return v[0].mul(v[0]).sum();
        }, 1).apply(x);
        assertArrayEquals(new int[] {2}, seen[0]);
        // per column j: x[0][j]^2 + x[1][j]^2 = j^2 + (j+3)^2
        close(NDArray.of(9, 17, 29), y.data());
    }

    @Test
    void unbatchedInputsBroadcastAndOutAxisMoves() {
        Variable x = Variable.constant(NDArray.of(new double[][] {{1, 2}, {3, 4}, {5, 6}})); // 3 examples of (2,)
        Variable w = Variable.constant(NDArray.of(new double[][] {{1, 0, 2}, {0, 1, 3}})); // shared (2, 3)
        Variable[] out = Autograd.vmap(v -> new Variable[] {v[0].matmul(v[1])}, new int[] {0, Vmap.NOT_BATCHED},
                new int[] {1}).apply(x, w);
        // row b of x @ w, placed along axis 1: out[:, b]
        close(NDArray.of(new double[][] {{1, 3, 5}, {2, 4, 6}, {8, 18, 28}}), out[0].data());
    }

    @Test
    void perExampleGradientsOfALogisticModel() {
        Random r = new Random(3);
        NDArray xs = NDArray.randn(r, 5, 3);
        NDArray ys = NDArray.of(1, 0, 1, 1, 0);
        Variable w = new Variable(NDArray.randn(r, 3), true);
        Variable g = Autograd.vmap(v -> {
            Variable p = v[0].matmul(w).sigmoid();
            Variable loss = v[1].mul(p.log()).add(v[1].rsub(1).mul(p.rsub(1).log())).neg();
            return Autograd.grad(loss, w)[0];
        }).apply(Variable.constant(xs), Variable.constant(ys));
        assertArrayEquals(new int[] {5, 3}, g.shape());
        for (int b = 0; b < 5; b++) {
            // d/dw of the logistic loss is (sigmoid(x·w) - y) x
            double z = 0;
            for (int j = 0; j < 3; j++) {
                z += xs.get(b, j) * w.data().get(j);
            }
            double p = 1 / (1 + Math.exp(-z));
            for (int j = 0; j < 3; j++) {
                assertEquals((p - ys.get(b)) * xs.get(b, j), g.data().get(b, j), 1e-12);
            }
        }
    }

    @Test
    void gradientOutsideVmapGoesThroughThePhysicalOps() {
        Variable x = new Variable(NDArray.of(new double[][] {{1, 2}, {3, 4}}), true);
        Variable y = Autograd.vmap(v -> v[0].mul(v[0]).sum()).apply(x); // (2,): per-row sums of squares
        Variable[] g = Autograd.grad(y.sum(), x);
        close(NDArray.of(new double[][] {{2, 4}, {6, 8}}), g[0].data());
    }

    @Test
    void nestedVmapsComputeAnOuterProduct() {
        Variable a = Variable.constant(NDArray.of(1, 2, 3));
        Variable b = Variable.constant(NDArray.of(10, 20));
        Autograd.Fn inner = Autograd.vmap(v -> v[0].mul(v[1]), Vmap.NOT_BATCHED, 0);
        Variable y = Autograd.vmap(v -> inner.apply(v[0], v[1]), 0, Vmap.NOT_BATCHED).apply(a, b);
        close(NDArray.of(new double[][] {{10, 20}, {20, 40}, {30, 60}}), y.data());
    }

    @Test
    void gradientsInsideNestedVmapsArePerPair() {
        // d/dw of sin(w a_i b_j) = cos(w a_i b_j) a_i b_j, for every pair (i, j), in two nested vmaps
        Variable w = new Variable(NDArray.scalar(0.3), true);
        Variable a = Variable.constant(NDArray.of(1, 2, 3));
        Variable b = Variable.constant(NDArray.of(-1, 0.5));
        Autograd.Fn inner = Autograd.vmap(v -> Autograd.grad(w.mul(v[0]).mul(v[1]).sin(), w)[0], Vmap.NOT_BATCHED, 0);
        Variable g = Autograd.vmap(v -> inner.apply(v[0], v[1]), 0, Vmap.NOT_BATCHED).apply(a, b);
        assertArrayEquals(new int[] {3, 2}, g.shape());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                double ab = a.data().get(i) * b.data().get(j);
                assertEquals(Math.cos(0.3 * ab) * ab, g.data().get(i, j), 1e-12);
            }
        }
    }

    @Test
    void randomOpsAreRefusedInsideVmap() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Autograd.vmap(v -> {
            Vmap.refuseRandomness("bernoulli");
            return v[0];
        }).apply(Variable.constant(NDArray.zeros(2))));
        assertTrue(e.getMessage().startsWith("vmap: called random operation bernoulli"), e.getMessage());
        Vmap.refuseRandomness("bernoulli"); // outside vmap: allowed
    }

    @Test
    void jvpInsideVmapGivesSeveralDirectionsAtOnce() {
        Variable x = Variable.constant(NDArray.of(1, 2, 3));
        Variable dirs = Variable.constant(NDArray.eye(3));
        Variable jac = Autograd.vmap(v -> Autograd.jvp(z -> new Variable[] {z[0].mul(z[0]).sin()},
                new Variable[] {x}, new Variable[] {v[0]}, false, false).tangents()[0]).apply(dirs);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double want = i == j ? 2 * (i + 1) * Math.cos((i + 1) * (i + 1)) : 0;
                assertEquals(want, jac.data().get(i, j), 1e-12); // row i: J e_i, the i-th column of J
            }
        }
    }

    @Test
    void mismatchedBatchSizesNameVmapTheInputsAndSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autograd.vmap(
                v -> v[0].add(v[1])).apply(Variable.constant(NDArray.zeros(3)), Variable.constant(NDArray.zeros(4))));
        assertTrue(e.getMessage().startsWith("vmap:"), e.getMessage());
        assertTrue(e.getMessage().contains("input 0 has size 3") && e.getMessage().contains("input 1 has size 4"),
                e.getMessage());
    }

    @Test
    void dataAndItemOfABatchedValueAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Autograd.vmap(
                v -> Variable.scalar(v[0].item())).apply(Variable.constant(NDArray.zeros(3))));
        assertTrue(e.getMessage().startsWith("vmap: data() of a batched value"), e.getMessage());
    }

    @Test
    void aNodeWithoutABatchingRuleFailsNamingIt() {
        Node bare = new Node() {
            @Override
            protected NDArray forward(NDArray... xs) {
                return xs[0].mul(2.0);
            }

            @Override
            protected Variable[] backward(Variable gy) {
                return new Variable[] {gy.mul(2.0)};
            }

            @Override
            public String name() {
                return "Double";
            }
        };
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Autograd.vmap(
                v -> bare.apply(v[0])).apply(Variable.constant(NDArray.zeros(3))));
        assertTrue(e.getMessage().startsWith("Double has no batching rule"), e.getMessage());
    }
}
