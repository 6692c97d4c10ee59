package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link F#einsum}: the torch.einsum documentation examples (trace, diagonal, outer product,
 * batch matmul, batch permute, bilinear) with values written by hand or by explicit loops, the
 * implicit-output rule, and its error messages.
 */
class EinsumTest {
    private static Variable c(double[] v, int... shape) {
        return Variable.constant(NDArray.of(v, shape));
    }

    private static double[] range(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i + 1;
        }
        return d;
    }

    @Test
    void traceDiagonalAndOuterProduct() {
        Variable m = c(new double[] {1, 2, 3, 4}, 2, 2);
        assertEquals(5.0, F.einsum("ii", m).item());
        assertArrayEquals(new double[] {1, 4}, F.einsum("ii->i", m).data().toArray());
        Variable outer = F.einsum("i,j->ij", c(new double[] {1, 2, 3}, 3), c(new double[] {4, 5}, 2));
        assertArrayEquals(new int[] {3, 2}, outer.shape());
        assertArrayEquals(new double[] {4, 5, 8, 10, 12, 15}, outer.data().toArray());
        assertEquals(1 * 4 + 2 * 5 + 3 * 6.0, F.einsum("i,i->", c(new double[] {1, 2, 3}, 3),
                c(new double[] {4, 5, 6}, 3)).item());
    }

    @Test
    void implicitOutputIsAlphabetical() {
        Variable m = c(range(6), 2, 3);
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, F.einsum("ba", m).data().toArray()); // -> ab: transpose
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, F.einsum("ab", m).data().toArray());
        Variable n = c(range(6), 3, 2);
        // 'ij,jk' is the matrix product: [[1 2 3] [4 5 6]] [[1 2] [3 4] [5 6]] = [[22 28] [49 64]]
        assertArrayEquals(new double[] {22, 28, 49, 64}, F.einsum("ij,jk", m, n).data().toArray());
        assertArrayEquals(new double[] {22, 28, 49, 64}, F.einsum("ij,jk->ik", m, n).data().toArray());
    }

    @Test
    void batchMatmulBatchPermuteAndBilinearMatchExplicitLoops() {
        Random rng = new Random(3);
        NDArray a = NDArray.randn(rng, 3, 2, 5);
        NDArray b = NDArray.randn(rng, 3, 5, 4);
        NDArray y = F.einsum("bij,bjk->bik", Variable.constant(a), Variable.constant(b)).data();
        assertArrayEquals(new int[] {3, 2, 4}, y.shape());
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < 4; k++) {
                    double s = 0;
                    for (int j = 0; j < 5; j++) {
                        s += a.get(p, i, j) * b.get(p, j, k);
                    }
                    assertEquals(s, y.get(p, i, k), 1e-12);
                }
            }
        }
        assertArrayEquals(new int[] {2, 3, 5, 4},
                F.einsum("...ij->...ji", Variable.constant(NDArray.randn(rng, 2, 3, 4, 5))).shape());
        NDArray l = NDArray.randn(rng, 2, 5);
        NDArray w = NDArray.randn(rng, 3, 5, 4);
        NDArray r = NDArray.randn(rng, 2, 4);
        NDArray bil = F.einsum("bn,anm,bm->ba", Variable.constant(l), Variable.constant(w), Variable.constant(r)).data();
        assertArrayEquals(new int[] {2, 3}, bil.shape());
        for (int p = 0; p < 2; p++) {
            for (int q = 0; q < 3; q++) {
                double s = 0;
                for (int n = 0; n < 5; n++) {
                    for (int m = 0; m < 4; m++) {
                        s += l.get(p, n) * w.get(q, n, m) * r.get(p, m);
                    }
                }
                assertEquals(s, bil.get(p, q), 1e-12);
            }
        }
    }

    @Test
    void aContractionIsOneMatmulWithoutAnOuterProductAndASum() {
        // regression: the contracted label was once taken as a batch label (the operand itself counted as
        // "needed later"), so 'bij,bjk->bik' built a (b*j, i, k) outer product and summed it: 12x slower
        Variable a = new Variable(NDArray.ones(2, 3, 4), true);
        Variable b = new Variable(NDArray.ones(2, 4, 5), true);
        java.util.Set<Class<? extends Node>> nodes = OpRegistryCoverageTest.recorded(F.einsum("bij,bjk->bik", a, b));
        assertTrue(nodes.contains(MatMulNode.class), nodes.toString());
        assertTrue(!nodes.contains(SumNode.class), "no sum for a plain contraction: " + nodes);
    }

    @Test
    void traceGradientIsTheIdentity() {
        Variable m = new Variable(NDArray.of(range(9), 3, 3), true);
        F.einsum("ii", m).backward();
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, m.grad().data().toArray());
    }

    @Test
    void errorsNameTheEquationAndTheFix() {
        Variable m = c(range(6), 2, 3);
        String e = assertThrows(IllegalArgumentException.class, () -> F.einsum("ij,jk->ik", m)).getMessage();
        assertTrue(e.contains("fewer operands were provided than specified in the equation"), e);
        e = assertThrows(IllegalArgumentException.class, () -> F.einsum("ijk", m)).getMessage();
        assertTrue(e.contains("number of subscripts in the equation (3) does not match the number of dimensions (2)"), e);
        e = assertThrows(IllegalArgumentException.class, () -> F.einsum("ii", m)).getMessage();
        assertTrue(e.contains("subscript i is repeated for operand 0 but the sizes don't match, 2 != 3"), e);
        e = assertThrows(IllegalArgumentException.class, () -> F.einsum("ij,jk", m, m)).getMessage();
        assertTrue(e.contains("subscript j has size 3 and 2"), e);
        e = assertThrows(IllegalArgumentException.class, () -> F.einsum("i1", m)).getMessage();
        assertTrue(e.contains("subscripts must be in [a-zA-Z]"), e);
        e = assertThrows(IllegalArgumentException.class, () -> F.einsum("ij->ii", m)).getMessage();
        assertTrue(e.contains("output subscript i appears more than once"), e);
        e = assertThrows(IllegalArgumentException.class, () -> F.einsum("ij->k", m)).getMessage();
        assertTrue(e.contains("output subscript k does not appear in the equation"), e);
    }
}
