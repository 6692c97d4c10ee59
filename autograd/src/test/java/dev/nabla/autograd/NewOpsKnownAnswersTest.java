package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.IndexMaps;
import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/**
 * Known answers of the issue 15 ops, written by hand from PyTorch's documentation examples
 * (torch.gather, scatter, roll, flip, topk, sort, repeat, tile, cumsum, linalg.vector_norm,
 * ReflectionPad1d / ReplicationPad1d), their gradients in closed form, and their error messages.
 */
class NewOpsKnownAnswersTest {

    private static void assertValues(double[] expected, int[] shape, Variable actual) {
        assertArrayEquals(shape, actual.shape(), "shape");
        assertArrayEquals(expected, actual.data().toArray(), 1e-12);
    }

    private static Variable leaf(double[] v, int... shape) {
        return new Variable(NDArray.of(v, shape), true);
    }

    private static double[] range(int from, int to) {
        double[] d = new double[to - from];
        for (int i = 0; i < d.length; i++) {
            d[i] = from + i;
        }
        return d;
    }

    private static String message(Runnable r) {
        return assertThrows(RuntimeException.class, r::run).getMessage();
    }

    @Test
    void gatherFromTheTorchDocs() {
        // torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[0, 0], [1, 0]])) = [[1, 1], [4, 3]]
        Variable t = leaf(new double[] {1, 2, 3, 4}, 2, 2);
        NDArray index = NDArray.of(new long[] {0, 0, 1, 0}, 2, 2);
        Variable y = t.gather(1, index);
        assertValues(new double[] {1, 1, 4, 3}, new int[] {2, 2}, y);
        y.mul(Variable.constant(NDArray.of(new double[] {1, 2, 3, 4}, 2, 2))).sum().backward();
        // t[0][0] is read twice (weights 1 and 2); t[1][1] once (3), t[1][0] once (4)
        assertValues(new double[] {3, 0, 4, 3}, new int[] {2, 2}, t.grad());
    }

    @Test
    void scatterFromTheTorchDocsOutOfPlace() {
        // src = arange(1, 11).reshape(2, 5); index = [[0, 1, 2, 0]]; zeros(3, 5).scatter_(0, index, src)
        Variable src = leaf(range(1, 11), 2, 5);
        Variable x = leaf(new double[15], 3, 5);
        NDArray index = NDArray.of(new long[] {0, 1, 2, 0}, 1, 4);
        Variable y = x.scatter(0, index, src);
        assertValues(new double[] {1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0}, new int[] {3, 5}, y);
        assertEquals(0.0, x.data().toArray()[0], "out of place: the input is unchanged");
        y.mul(Variable.constant(NDArray.of(range(1, 16), 3, 5))).sum().backward();
        // x: the cotangent where not overwritten; src: the cotangent at its targets, 0 where unused
        assertValues(new double[] {0, 2, 3, 0, 5, 6, 0, 8, 9, 10, 11, 12, 0, 14, 15}, new int[] {3, 5}, x.grad());
        assertValues(new double[] {1, 7, 13, 4, 0, 0, 0, 0, 0, 0}, new int[] {2, 5}, src.grad());
    }

    @Test
    void scatterRepeatedTargetsLastWriteWins() {
        Variable x = leaf(new double[3], 3);
        Variable src = leaf(new double[] {5, 6, 7}, 3);
        Variable y = x.scatter(0, NDArray.of(new long[] {1, 1, 0}, 3), src);
        assertValues(new double[] {7, 6, 0}, new int[] {3}, y);
        y.sum().backward();
        assertValues(new double[] {0, 1, 1}, new int[] {3}, src.grad());
        assertValues(new double[] {0, 0, 1}, new int[] {3}, x.grad());
    }

    @Test
    void maskedFillGradientOnlyInTheUnmaskedEntries() {
        Variable x = leaf(new double[] {1, 2, 3}, 3);
        Variable y = x.maskedFill(NDArray.of(new boolean[] {true, false, true}, 3), -9);
        assertValues(new double[] {-9, 2, -9}, new int[] {3}, y);
        y.mul(3.0).sum().backward();
        assertValues(new double[] {0, 3, 0}, new int[] {3}, x.grad());
    }

    @Test
    void indexPutOutOfPlaceWithBroadcastValues() {
        Variable x = leaf(range(0, 6), 2, 3);
        Variable v = leaf(new double[] {10, 20}, 2, 1);
        Variable y = x.indexPut(new Index[] {Index.all(), Index.of(0, 2)}, v); // x[:, [0, 2]] = [[10], [20]]
        assertValues(new double[] {10, 1, 10, 20, 4, 20}, new int[] {2, 3}, y);
        assertValues(range(0, 6), new int[] {2, 3}, x);
        y.mul(Variable.constant(NDArray.of(range(1, 7), 2, 3))).sum().backward();
        assertValues(new double[] {0, 2, 0, 0, 5, 0}, new int[] {2, 3}, x.grad());
        assertValues(new double[] {1 + 3, 4 + 6}, new int[] {2, 1}, v.grad());
        Variable z = x.setItem(new Index[] {Index.at(1)}, 7.0);
        assertValues(new double[] {0, 1, 2, 7, 7, 7}, new int[] {2, 3}, z);
    }

    @Test
    void cumsumAndItsReverseCumsumGradient() {
        Variable x = leaf(new double[] {1, 2, 3, 4}, 4);
        Variable y = x.cumsum(0);
        assertValues(new double[] {1, 3, 6, 10}, new int[] {4}, y);
        y.sum().backward();
        assertValues(new double[] {4, 3, 2, 1}, new int[] {4}, x.grad());
        Variable m = Variable.constant(NDArray.of(range(1, 7), 2, 3));
        assertValues(new double[] {1, 3, 6, 4, 9, 15}, new int[] {2, 3}, m.cumsum(-1));
        assertValues(new double[] {1, 2, 3, 5, 7, 9}, new int[] {2, 3}, m.cumsum(0));
        assertEquals(DType.INT64, NDArray.of(new int[] {1, 2}, 2).cumsum(0).dtype(), "integer cumsum is int64");
    }

    @Test
    void prodGradientFollowsThePyTorchZeroRule() {
        Variable x = leaf(new double[] {1, 2, 3, 4}, 4);
        Variable p = x.prod();
        assertEquals(24.0, p.item());
        p.backward();
        assertValues(new double[] {24, 12, 8, 6}, new int[] {4}, x.grad());

        Variable one = leaf(new double[] {2, 0, 3}, 3);
        one.prod().backward();
        assertValues(new double[] {0, 6, 0}, new int[] {3}, one.grad());

        Variable two = leaf(new double[] {0, 2, 0}, 3);
        two.prod().backward();
        assertValues(new double[] {0, 0, 0}, new int[] {3}, two.grad());

        Variable m = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertValues(new double[] {4, 10, 18}, new int[] {3}, m.prod(0));
        assertValues(new double[] {6, 120}, new int[] {2, 1}, m.prod(new int[] {1}, true));
        // second derivative with a zero: d²/dx0 dx2 of x0 x1 x2 at (2, 0, 3) is x1 = 0, d²/dx0 dx1 = x2 = 3
        Variable z = leaf(new double[] {2, 0, 3}, 3);
        Variable g = Autograd.grad(new Variable[] {z.prod()}, new Variable[] {z}, null, true, true)[0];
        Variable h = Autograd.grad(new Variable[] {g.getItem(Index.at(0))}, new Variable[] {z}, null, false, false)[0];
        assertValues(new double[] {0, 3, 0}, new int[] {3}, h);
        // two zeros: the gradient is 0, but d²/dx0 dx1 of x0 x1 x2 at (0, 0, 3) is x2 = 3
        Variable zz = leaf(new double[] {0, 0, 3}, 3);
        Variable gz = Autograd.grad(new Variable[] {zz.prod()}, new Variable[] {zz}, null, true, true)[0];
        assertValues(new double[] {0, 0, 0}, new int[] {3}, gz);
        Variable hz = Autograd.grad(new Variable[] {gz.getItem(Index.at(0))}, new Variable[] {zz}, null, false, false)[0];
        assertValues(new double[] {0, 3, 0}, new int[] {3}, hz);
    }

    @Test
    void rollFromTheTorchDocs() {
        Variable x = Variable.constant(NDArray.of(range(1, 9), 4, 2));
        assertValues(new double[] {8, 1, 2, 3, 4, 5, 6, 7}, new int[] {4, 2}, x.roll(1));
        assertValues(new double[] {7, 8, 1, 2, 3, 4, 5, 6}, new int[] {4, 2}, x.roll(new int[] {1}, new int[] {0}));
        assertValues(new double[] {3, 4, 5, 6, 7, 8, 1, 2}, new int[] {4, 2}, x.roll(new int[] {-1}, new int[] {0}));
        assertValues(new double[] {6, 5, 8, 7, 2, 1, 4, 3}, new int[] {4, 2}, x.roll(new int[] {2, 1}, new int[] {0, 1}));
    }

    @Test
    void flipFromTheTorchDocs() {
        // torch.flip(torch.arange(8).view(2, 2, 2), [0, 1]) = [[[6, 7], [4, 5]], [[2, 3], [0, 1]]]
        Variable x = Variable.constant(NDArray.of(range(0, 8), 2, 2, 2));
        assertValues(new double[] {6, 7, 4, 5, 2, 3, 0, 1}, new int[] {2, 2, 2}, x.flip(0, 1));
        assertValues(range(0, 8), new int[] {2, 2, 2}, x.flip());
    }

    @Test
    void repeatAndTileFromTheTorchDocs() {
        Variable x = Variable.constant(NDArray.of(new double[] {1, 2, 3}, 3));
        Variable r = x.repeat(4, 2);
        assertArrayEquals(new int[] {4, 6}, r.shape());
        assertArrayEquals(new int[] {4, 2, 3}, x.repeat(4, 2, 1).shape());
        assertValues(new double[] {1, 2, 3, 1, 2, 3}, new int[] {6}, x.tile(2));
        Variable y = Variable.constant(NDArray.of(new double[] {1, 2, 3, 4}, 2, 2));
        assertValues(new double[] {1, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4}, new int[] {4, 4}, y.tile(2, 2));
        assertArrayEquals(new int[] {1, 2, 4}, y.tile(1, 1, 2).shape());
        Variable leaf = leaf(new double[] {1, 2}, 2);
        leaf.repeat(3).sum().backward();
        assertValues(new double[] {3, 3}, new int[] {2}, leaf.grad());
    }

    @Test
    void repeatRowsAreAllCopies() {
        double[] v = Variable.constant(NDArray.of(new double[] {1, 2, 3}, 3)).repeat(4, 2).data().toArray();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(j % 3 + 1, v[i * 6 + j]);
            }
        }
    }

    @Test
    void triuAndTrilWithOffsets() {
        Variable x = Variable.constant(NDArray.of(range(1, 10), 3, 3));
        assertValues(new double[] {1, 2, 3, 0, 5, 6, 0, 0, 9}, new int[] {3, 3}, x.triu(0));
        assertValues(new double[] {0, 2, 3, 0, 0, 6, 0, 0, 0}, new int[] {3, 3}, x.triu(1));
        assertValues(new double[] {1, 2, 3, 4, 5, 6, 0, 8, 9}, new int[] {3, 3}, x.triu(-1));
        assertValues(new double[] {1, 0, 0, 4, 5, 0, 7, 8, 9}, new int[] {3, 3}, x.tril(0));
        assertValues(new double[] {0, 0, 0, 4, 0, 0, 7, 8, 0}, new int[] {3, 3}, x.tril(-1));
    }

    @Test
    void padModesFromTheTorchDocs() {
        // nn.ReflectionPad1d(2) / ReplicationPad1d(2) on torch.arange(8.).reshape(1, 2, 4)
        Variable x = Variable.constant(NDArray.of(range(0, 8), 1, 2, 4));
        assertValues(new double[] {2, 1, 0, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 7, 6, 5}, new int[] {1, 2, 8},
                x.pad(new int[] {2, 2}, IndexMaps.PadMode.REFLECT, 0));
        assertValues(new double[] {0, 0, 0, 1, 2, 3, 3, 3, 4, 4, 4, 5, 6, 7, 7, 7}, new int[] {1, 2, 8},
                x.pad(new int[] {2, 2}, IndexMaps.PadMode.REPLICATE, 0));
        // F.pad(x, (2, 1), mode='circular'): [2 3 | 0 1 2 3 | 0] per row
        assertValues(new double[] {2, 3, 0, 1, 2, 3, 0, 6, 7, 4, 5, 6, 7, 4}, new int[] {1, 2, 7},
                x.pad(new int[] {2, 1}, IndexMaps.PadMode.CIRCULAR, 0));
        Variable m = Variable.constant(NDArray.of(new double[] {1, 2, 3, 4}, 2, 2));
        // F.pad(m, (1, 0, 0, 1), value=9): last axis one on the left, first axis one at the bottom
        assertValues(new double[] {9, 1, 2, 9, 3, 4, 9, 9, 9}, new int[] {3, 3},
                m.pad(new int[] {1, 0, 0, 1}, IndexMaps.PadMode.CONSTANT, 9));
        assertValues(new double[] {2, 4}, new int[] {2, 1}, m.pad(-1, 0)); // a negative pad crops
        Variable leaf = leaf(new double[] {1, 2, 3}, 3);
        leaf.pad(new int[] {2, 1}, IndexMaps.PadMode.REFLECT, 0).sum().backward(); // [3 2 | 1 2 3 | 2]
        assertValues(new double[] {1, 3, 2}, new int[] {3}, leaf.grad());
    }

    @Test
    void vectorNormsFromTheTorchDocs() {
        // a = torch.arange(9, dtype=torch.float) - 4
        Variable a = Variable.constant(NDArray.of(range(-4, 5), 9));
        assertEquals(Math.sqrt(60), a.norm().item(), 1e-12); // 7.7460
        assertEquals(Math.sqrt(60), a.reshape(3, 3).norm().item(), 1e-12); // the Frobenius norm of b
        assertEquals(4.0, a.norm(Double.POSITIVE_INFINITY, null, false).item());
        assertEquals(0.0, a.norm(Double.NEGATIVE_INFINITY, null, false).item());
        assertEquals(8.0, a.norm(0, null, false).item());
        assertEquals(20.0, a.norm(1, null, false).item());
        assertEquals(5.4345, a.norm(3.5, null, false).item(), 5e-5);
        assertValues(new double[] {5, Math.sqrt(41)}, new int[] {2},
                Variable.constant(NDArray.of(new double[] {3, 4, 4, 5}, 2, 2)).norm(2, new int[] {1}, false));
    }

    @Test
    void normGradientAtZeroIsZeroNotNaN() {
        for (double p : new double[] {1, 1.5, 2, 3}) {
            Variable z = leaf(new double[3], 3);
            z.norm(p, null, false).backward();
            assertValues(new double[] {0, 0, 0}, new int[] {3}, z.grad());
        }
        Variable nz = leaf(new double[] {0, 2, -3}, 3);
        Variable count = nz.norm(0, null, false);
        assertEquals(2.0, count.item());
        count.backward();
        assertValues(new double[] {0, 0, 0}, new int[] {3}, nz.grad()); // zeros, as PyTorch, not "no gradient"
        Variable x = leaf(new double[] {3, -4}, 2);
        x.norm().backward();
        assertValues(new double[] {0.6, -0.8}, new int[] {2}, x.grad());
    }

    @Test
    void topkAndSortFromTheTorchDocs() {
        // torch.topk(torch.arange(1., 6.), 3) = values [5, 4, 3], indices [4, 3, 2]
        Variable x = leaf(range(1, 6), 5);
        Sorted t = x.topk(3);
        assertValues(new double[] {5, 4, 3}, new int[] {3}, t.values());
        assertArrayEquals(new long[] {4, 3, 2}, t.indices().toLongArray());
        assertEquals(DType.INT64, t.indices().dtype());
        t.values().mul(Variable.constant(NDArray.of(new double[] {1, 2, 3}, 3))).sum().backward();
        assertValues(new double[] {0, 0, 3, 2, 1}, new int[] {5}, x.grad());
        // torch.sort(torch.tensor([0, 1] * 9), stable=True): zeros at 0, 2, ..., 16 then ones at 1, 3, ..., 17
        double[] v = new double[18];
        long[] expected = new long[18];
        for (int i = 0; i < 18; i++) {
            v[i] = i % 2;
            expected[i] = i < 9 ? 2L * i : 2L * (i - 9) + 1;
        }
        assertArrayEquals(expected, Variable.constant(NDArray.of(v, 18)).sort(0, false).indices().toLongArray());
        Sorted d = Variable.constant(NDArray.of(new double[] {3, 1, 2, Double.NaN, 1}, 5)).sort(0, true);
        assertArrayEquals(new long[] {3, 0, 2, 1, 4}, d.indices().toLongArray(), "NaN largest, ties stable");
        NDArray arg = Variable.constant(NDArray.of(new double[] {2, 9, 1, 4, 3, 0}, 2, 3)).argsort(1, false);
        assertArrayEquals(new long[] {2, 0, 1, 2, 1, 0}, arg.toLongArray());
        Sorted small = Variable.constant(NDArray.of(new double[] {2, 9, 1, 4, 3, 0}, 2, 3)).topk(1, 0, false);
        assertValues(new double[] {2, 3, 0}, new int[] {1, 3}, small.values());
    }

    @Test
    void sortIsAStablePermutationOnLongLanesWithManyTies() {
        java.util.Random rng = new java.util.Random(11);
        for (boolean desc : new boolean[] {false, true}) {
            double[] v = new double[3 * 517];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextInt(4) - 1.5;
            }
            Sorted st = Variable.constant(NDArray.of(v, 3, 517)).sort(1, desc);
            long[] ix = st.indices().toLongArray();
            double[] sv = st.values().data().toArray();
            for (int row = 0; row < 3; row++) {
                boolean[] seen = new boolean[517];
                for (int j = 0; j < 517; j++) {
                    int k = row * 517 + j;
                    assertEquals(v[row * 517 + (int) ix[k]], sv[k], "values are the input at the indices");
                    assertTrue(!seen[(int) ix[k]], "a permutation");
                    seen[(int) ix[k]] = true;
                    if (j > 0) {
                        double prev = sv[k - 1];
                        assertTrue(desc ? prev >= sv[k] : prev <= sv[k], "sorted");
                        if (prev == sv[k]) {
                            assertTrue(ix[k - 1] < ix[k], "stable: equal values keep their input order");
                        }
                    }
                }
            }
        }
    }

    @Test
    void errorMessagesNameTheOpTheShapesAndTheFix() {
        Variable x = Variable.constant(NDArray.of(range(0, 6), 2, 3));
        String m = message(() -> x.gather(1, NDArray.of(new double[] {0, 1}, 2, 1)));
        assertTrue(m.contains("gather") && m.contains("int64"), m);
        m = message(() -> x.gather(1, NDArray.of(new long[] {3}, 1, 1)));
        assertTrue(m.contains("index 3 is out of bounds for dimension 1 with size 3"), m);
        m = message(() -> x.gather(0, NDArray.of(new long[] {0, 0, 0, 0}, 1, 4)));
        assertTrue(m.contains("Size does not match at dimension 1") && m.contains("(1, 4)") && m.contains("(2, 3)"), m);
        m = message(() -> x.gather(0, NDArray.of(new long[] {0}, 1)));
        assertTrue(m.contains("same number of dimensions"), m);
        m = message(() -> x.scatter(0, NDArray.of(new long[] {0}, 1, 1), Variable.constant(NDArray.of(new float[] {1f}, 1, 1))));
        assertTrue(m.contains("self.dtype to be equal to src.dtype"), m);
        m = message(() -> x.topk(4));
        assertTrue(m.contains("topk(): selected index k out of range") && m.contains("size 3"), m);
        m = message(() -> x.repeat(2));
        assertTrue(m.contains("can not be smaller than number of dimensions") && m.contains("(2, 3)"), m);
        m = message(() -> x.pad(1, 2, 3));
        assertTrue(m.contains("divisible by 2"), m);
        m = message(() -> x.pad(new int[] {3, 0}, IndexMaps.PadMode.REFLECT, 0));
        assertTrue(m.contains("padding size should be less than the corresponding input dimension"), m);
        m = message(() -> x.pad(new int[] {4, 0}, IndexMaps.PadMode.CIRCULAR, 0));
        assertTrue(m.contains("wrapping around more than once") && m.contains("(4, 0)"), m);
        m = message(() -> Variable.of(1, 2, 3).triu(0));
        assertTrue(m.contains("triu: input tensor must have at least 2 dimensions"), m);
        m = message(() -> x.roll(new int[] {1, 2}, new int[] {0}));
        assertTrue(m.contains("shifts and dimensions must align"), m);
        m = message(() -> x.maskedFill(NDArray.of(new double[] {1, 0, 1}, 3), 0));
        assertTrue(m.contains("maskedFill: only bool masks"), m);
        m = message(() -> x.indexPut(new Index[] {Index.at(0)}, Variable.of(1, 2)));
        assertTrue(m.contains("shape mismatch: value tensor of shape (2,)") && m.contains("(3,)"), m);
        m = message(() -> x.norm(-1, null, false));
        assertTrue(m.contains("norm") && m.contains("-1"), m);
    }
}
