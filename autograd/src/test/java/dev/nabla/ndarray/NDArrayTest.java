package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-computed answers for NDArray: factories, shapes, indexing (NumPy's rules), errors, printing. */
class NDArrayTest {
    private static final double EPS = 1e-12;

    private static NDArray x234() {
        return NDArray.arange(24).reshape(2, 3, 4);
    }

    private static void assertValues(double[] expected, NDArray actual, int... shape) {
        assertArrayEquals(shape, actual.shape(), "shape");
        assertArrayEquals(expected, actual.toArray(), EPS);
    }

    // ------------------------------------------------------------ factories

    @Test
    void arangeLikeNumPy() {
        assertValues(new double[] {0, 1, 2, 3, 4}, NDArray.arange(5), 5);
        assertValues(new double[] {1, 1.25, 1.5, 1.75}, NDArray.arange(1, 2, 0.25), 4);
        assertValues(new double[] {3, 2, 1}, NDArray.arange(3, 0, -1), 3);
        assertValues(new double[] {}, NDArray.arange(2, 1, 1), 0);
        assertEquals(10, NDArray.arange(0, 1, 0.1).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NDArray.arange(0, 1, 0));
        assertTrue(e.getMessage().contains("step"), e.getMessage());
    }

    @Test
    void linspaceIncludesBothEnds() {
        assertValues(new double[] {0, 0.25, 0.5, 0.75, 1}, NDArray.linspace(0, 1, 5), 5);
        assertValues(new double[] {-1, 1}, NDArray.linspace(-1, 1, 2), 2);
        assertValues(new double[] {2}, NDArray.linspace(2, 3, 1), 1);
        assertValues(new double[] {}, NDArray.linspace(2, 3, 0), 0);
        // the last value is exactly stop even when the step is not representable
        assertEquals(0.7, NDArray.linspace(0.1, 0.7, 7).getFlat(6), 0.0);
        assertThrows(IllegalArgumentException.class, () -> NDArray.linspace(0, 1, -1));
    }

    @Test
    void eyeZerosOnesFull() {
        assertValues(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, NDArray.eye(3), 3, 3);
        assertValues(new double[] {0, 0, 0, 0, 0, 0}, NDArray.zeros(2, 3), 2, 3);
        assertValues(new double[] {1, 1}, NDArray.ones(2), 2);
        assertValues(new double[] {7}, NDArray.full(7, new int[0]));
        assertValues(new double[] {2.5, 2.5, 2.5}, NDArray.full(2.5, 3, 1), 3, 1);
        assertEquals(0, NDArray.scalar(4).ndim());
        assertEquals(4.0, NDArray.scalar(4).item());
    }

    @Test
    void seededRandomFactoriesAreReproducible() {
        assertEquals(NDArray.randn(new Random(3), 4, 5), NDArray.randn(new Random(3), 4, 5));
        assertEquals(NDArray.rand(new Random(3), 7), NDArray.rand(new Random(3), 7));
        NDArray u = NDArray.uniform(new Random(1), -2, 3, 1000);
        for (double v : u.toArray()) {
            assertTrue(v >= -2 && v < 3, "uniform value " + v);
        }
        NDArray n = NDArray.randn(new Random(5), 20000);
        assertEquals(0.0, n.mean().item(), 0.05);
        assertEquals(1.0, n.var(null, false, 0).item(), 0.05);
    }

    @Test
    void ofChecksSizesAndRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.of(new double[] {1, 2, 3}, 2, 2));
        assertTrue(e.getMessage().contains("(2, 2) needs 4 values but 3 were given"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.of(new double[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("row 1 has 1 values but row 0 has 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(2, -1));
    }

    // ------------------------------------------------------------ shapes

    @Test
    void reshapeInfersMinusOne() {
        NDArray a = NDArray.arange(12);
        assertArrayEquals(new int[] {3, 4}, a.reshape(3, -1).shape());
        assertArrayEquals(new int[] {2, 2, 3}, a.reshape(2, -1, 3).shape());
        assertArrayEquals(new int[] {12}, a.reshape(3, 4).reshape(-1).shape());
        assertArrayEquals(new int[] {1, 12}, a.reshape(1, -1).shape());
        assertArrayEquals(a.toArray(), a.reshape(-1, 6).toArray(), 0.0);
        assertArrayEquals(new int[0], NDArray.ones(1, 1).reshape().shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.reshape(5, -1));
        assertTrue(e.getMessage().contains("shape [5, -1] is invalid for input of size 12"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.reshape(-1, -1));
        assertTrue(e.getMessage().contains("only one dimension can be inferred"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.reshape(5, 2));
        assertTrue(e.getMessage().contains("invalid for input of size 12"), e.getMessage());
    }

    @Test
    void permuteAndTransposeMoveElements() {
        NDArray x = x234();
        NDArray p = x.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(x.get(i, j, k), p.get(k, i, j));
                }
            }
        }
        assertValues(new double[] {0, 3, 1, 4, 2, 5}, NDArray.arange(6).reshape(2, 3).transpose(), 3, 2);
        assertArrayEquals(new int[] {4, 3, 2}, x.transpose().shape());
        assertArrayEquals(new int[] {2, 4, 3}, x.transpose(-1, 1).shape());
        assertEquals(x.get(1, 2, 3), x.transpose(-1, 1).get(1, 3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1));
        assertTrue(e.getMessage().contains("number of dims don't match"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1, 1));
        assertTrue(e.getMessage().contains("repeated dim 1"), e.getMessage());
    }

    @Test
    void squeezeUnsqueezeFlatten() {
        NDArray a = NDArray.zeros(1, 3, 1, 2);
        assertArrayEquals(new int[] {3, 2}, a.squeeze().shape());
        assertArrayEquals(new int[] {3, 1, 2}, NDArray.zeros(3, 2).unsqueeze(1).shape());
        assertArrayEquals(new int[] {3, 2, 1}, NDArray.zeros(3, 2).unsqueeze(-1).shape());
        assertArrayEquals(new int[] {6}, a.flatten().shape());
    }

    @Test
    void broadcastToAndSumTo() {
        NDArray a = NDArray.of(new double[] {1, 2, 3}, 3, 1);
        NDArray b = a.broadcastTo(2, 3, 2);
        assertValues(new double[] {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}, b, 2, 3, 2);
        assertValues(new double[] {4, 8, 12}, b.sumTo(3, 1), 3, 1);
        assertValues(new double[] {12, 12}, b.sumTo(2), 2);
        assertValues(new double[] {12, 12}, b.sumTo(1, 2), 1, 2);
        // size 1 broadcasts to any size, 0 included, as in NumPy
        assertArrayEquals(new int[] {3, 0}, a.broadcastTo(3, 0).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.broadcastTo(2, 4));
        assertTrue(e.getMessage().startsWith("broadcastTo: the shape (3, 1) cannot be broadcast to (2, 4)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.broadcastTo(3));
        assertTrue(e.getMessage().contains("the target cannot have fewer dimensions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.sumTo(4));
        assertTrue(e.getMessage().contains("sumTo: the shape (2, 3, 2) cannot be summed to (4,)"), e.getMessage());
    }

    // ------------------------------------------------------------ elementwise and reductions

    @Test
    void broadcastingArithmeticByHand() {
        NDArray col = NDArray.of(new double[] {1, 2}, 2, 1);
        NDArray row = NDArray.of(10, 20, 30);
        assertValues(new double[] {11, 21, 31, 12, 22, 32}, col.add(row), 2, 3);
        assertValues(new double[] {9, 19, 29, 8, 18, 28}, row.sub(col), 2, 3);
        assertValues(new double[] {10, 20, 30, 20, 40, 60}, col.mul(row), 2, 3);
        assertValues(new double[] {10, 20, 30, 5, 10, 15}, row.div(col), 2, 3);
        assertValues(new double[] {1, 1, 1, 2, 2, 2}, col.minimum(row).minimum(NDArray.scalar(5)), 2, 3);
        assertValues(new double[] {1, 4, 9}, NDArray.of(1, 2, 3).pow(2.0), 3);
        assertValues(new double[] {1, 0, 0}, NDArray.of(1, 2, 3).lt(NDArray.scalar(2)), 3);
        assertEquals(DType.BOOL, NDArray.of(1, 2, 3).lt(NDArray.scalar(2)).dtype());
        NDArray cond = NDArray.of(new boolean[] {false, true, false}, 3);
        assertValues(new double[] {5, 2, 5}, NDArray.where(cond, NDArray.of(1, 2, 3), NDArray.scalar(5)), 3);
    }

    @Test
    void broadcastErrorNamesOperationAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.ones(2, 3).add(NDArray.ones(4)));
        assertTrue(e.getMessage().startsWith("add: shapes (2, 3) and (4,) cannot be broadcast together"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.ones(2, 3).mul(NDArray.ones(3, 3)));
        assertTrue(e.getMessage().startsWith("mul: shapes (2, 3) and (3, 3)"), e.getMessage());
    }

    @Test
    void reductionsByHand() {
        NDArray x = NDArray.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertValues(new double[] {5, 7, 9}, x.sum(new int[] {0}, false), 3);
        assertValues(new double[] {9, 12}, x.sum(new int[] {-1}, true), 2, 1);
        assertValues(new double[] {21}, x.sum(null, false));
        assertValues(new double[] {21}, x.sum(new int[] {0, 1}, true), 1, 1);
        assertValues(new double[] {4, 5, 6}, x.max(new int[] {0}, false), 3);
        assertValues(new double[] {1, 2}, x.min(new int[] {1}, false), 2);
        assertValues(new double[] {3.5}, x.mean());
        assertValues(new double[] {3, 4}, x.mean(new int[] {1}, false), 2);
        assertValues(new double[] {1, 2}, x.argmax(1), 2);
        assertValues(new double[] {0, 1, 0}, x.argmin(0), 3);
        assertEquals(5, x.argmax());
        // population and sample variance of 1..4: 1.25 and 5/3
        assertEquals(1.25, NDArray.of(1, 2, 3, 4).var(null, false, 0).item(), EPS);
        assertEquals(5.0 / 3.0, NDArray.of(1, 2, 3, 4).var(null, false, 1).item(), EPS);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.sum(new int[] {2}, false));
        assertTrue(e.getMessage().contains("sum: dimension out of range (expected to be in range of [-2, 1], but got 2)"),
                e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> x.sum(new int[] {1, -1}, false));
        assertTrue(d.getMessage().contains("appears multiple times"), d.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(0, 3).max(new int[] {0}, false));
    }

    @Test
    void zeroDimensionalArraysReduceOverDimZeroOrMinusOne() {
        NDArray s = NDArray.scalar(3);
        assertValues(new double[] {3}, s.sum(new int[] {0}, false));
        assertValues(new double[] {3}, s.max(new int[] {-1}, true));
        assertValues(new double[] {3}, s.mean(new int[] {0}, false));
        assertValues(new double[] {0}, s.argmax(0));
        assertThrows(IndexOutOfBoundsException.class, () -> s.sum(new int[] {1}, false));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> s.shape(0));
        assertTrue(e.getMessage().contains("the array has no dimensions"), e.getMessage());
        assertEquals(3, NDArray.zeros(2, 3).shape(-1));
    }

    @Test
    void inPlaceOperationsBumpTheVersion() {
        NDArray a = NDArray.zeros(2);
        assertEquals(0, a.version());
        a.addInPlace(NDArray.ones(2), 2.0);
        a.mulInPlace(3);
        a.set(1.0, 0);
        a.setFlat(1, 5.0);
        a.fill(1.0);
        a.copyFrom(NDArray.of(4, 5));
        assertEquals(6, a.version());
        assertValues(new double[] {4, 5}, a, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.addInPlace(NDArray.ones(3)));
        assertTrue(e.getMessage().contains("addInPlace: shape (3,) does not match the destination shape (2,)"),
                e.getMessage());
        assertEquals(0, a.add(1.0).version());
    }

    @Test
    void viewsShareStorageAndTheVersionCounter() {
        NDArray a = NDArray.zeros(2, 3);
        NDArray v = a.reshape(6);
        NDArray f = a.flatten().unsqueeze(0).squeeze();
        a.fill(1.0);
        assertEquals(1, v.version());
        assertEquals(1, f.version());
        assertEquals(6.0, v.sum().item());
        v.setFlat(0, 5.0);
        assertEquals(5.0, a.get(0, 0));
        assertEquals(2, a.version());
        NDArray c = a.copy();
        c.fill(0.0);
        assertEquals(2, a.version());
        assertEquals(0, a.add(1.0).version());
    }

    @Test
    void closenessHelpers() {
        NDArray a = NDArray.of(1, 2, 3);
        assertTrue(a.allClose(NDArray.of(1, 2, 3 + 1e-9)));
        assertFalse(a.allClose(NDArray.of(1, 2, 3.1)));
        assertTrue(a.allClose(NDArray.of(1, 2, 3.1), 0.05, 0));
        assertFalse(a.allClose(NDArray.of(1, 2)));
        assertFalse(NDArray.of(Double.NaN).allClose(NDArray.of(Double.NaN)));
        assertEquals(0.5, a.maxAbsDiff(NDArray.of(1, 2.5, 3)), EPS);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.item());
        assertTrue(e.getMessage().contains("a Tensor with 3 elements cannot be converted to Scalar"), e.getMessage());
    }

    // ------------------------------------------------------------ indexing

    @Test
    void basicIndexing() {
        NDArray x = x234();
        assertValues(new double[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, x.getItem(Index.at(1)), 3, 4);
        assertValues(new double[] {4, 5, 6, 7, 16, 17, 18, 19}, x.getItem(Index.all(), Index.at(1)), 2, 4);
        assertValues(new double[] {1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23},
                x.getItem(Index.all(), Index.all(), Index.range(1, 4, 2)), 2, 3, 2);
        assertValues(new double[] {23}, x.getItem(Index.at(-1), Index.at(-1), Index.at(-1)));
        // negative range start, stop clipped past the end, as NumPy's x[:, -2:10]
        assertValues(new double[] {4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23},
                x.getItem(Index.all(), Index.range(-2, 10)), 2, 2, 4);
        assertValues(new double[] {}, x.getItem(Index.range(2, 1)), 0, 3, 4);
        assertValues(new double[] {8, 9, 10, 11}, x.get0(0).getItem(Index.at(2)), 4);
        assertValues(new double[] {1, 2, 5, 6, 9, 10}, x.get0(0).slice(1, 1, 3), 3, 2);
    }

    @Test
    void integerArrayIndexing() {
        NDArray x = x234();
        // x[[0, 1], [1, 2]] zips the two arrays: rows x[0, 1, :] and x[1, 2, :]
        assertValues(new double[] {4, 5, 6, 7, 20, 21, 22, 23}, x.getItem(Index.of(0, 1), Index.of(1, 2)), 2, 4);
        // repeats gather the same rows again
        NDArray r = x.take(1, 1, 0);
        assertArrayEquals(new int[] {3, 3, 4}, r.shape());
        assertEquals(x.get0(1), r.get0(0));
        assertEquals(x.get0(1), r.get0(1));
        assertEquals(x.get0(0), r.get0(2));
        // x[:, [2, 0], [1, 3]]: adjacent arrays stay in place: [[x[0,2,1], x[0,0,3]], [x[1,2,1], x[1,0,3]]]
        assertValues(new double[] {9, 3, 21, 15}, x.getItem(Index.all(), Index.of(2, 0), Index.of(1, 3)), 2, 2);
        // negative positions count from the end
        assertValues(new double[] {23, 0}, x.getItem(Index.of(-1, 0), Index.of(-1, 0), Index.of(-1, 0)), 2);
    }

    @Test
    void advancedIndexPlacementFollowsNumPy() {
        NDArray x = x234();
        // arrays separated by a slice: the zipped axis goes first. x[[0, 1], :, [1, 2]] has shape (2, 3)
        assertValues(new double[] {1, 5, 9, 14, 18, 22}, x.getItem(Index.of(0, 1), Index.all(), Index.of(1, 2)), 2, 3);
        // a single position counts as an advanced index too: x[0, :, [1, 2]] has shape (2, 3), not (3, 2)
        assertValues(new double[] {1, 5, 9, 2, 6, 10}, x.getItem(Index.at(0), Index.all(), Index.of(1, 2)), 2, 3);
        // adjacent position and array: x[:, 1, [0, 3]] keeps the axis in place, shape (2, 2)
        assertValues(new double[] {4, 7, 16, 19}, x.getItem(Index.all(), Index.at(1), Index.of(0, 3)), 2, 2);
        // x[[1, 0], 2] (adjacent): shape (2, 4)
        assertValues(new double[] {20, 21, 22, 23, 8, 9, 10, 11}, x.getItem(Index.of(1, 0), Index.at(2)), 2, 4);
        // 4-D: x[:, 0, :, [1, 0]] on (2, 2, 2, 2): advanced axes 1 and 3 are separated -> shape (2, 2, 2)
        NDArray y = NDArray.arange(16).reshape(2, 2, 2, 2);
        NDArray g = y.getItem(Index.all(), Index.at(0), Index.all(), Index.of(1, 0));
        assertArrayEquals(new int[] {2, 2, 2}, g.shape());
        for (int i = 0; i < 2; i++) {
            for (int a = 0; a < 2; a++) {
                for (int c = 0; c < 2; c++) {
                    assertEquals(y.get(a, 0, c, new int[] {1, 0}[i]), g.get(i, a, c));
                }
            }
        }
    }

    @Test
    void indexingErrors() {
        NDArray x = x234();
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.getItem(Index.at(5)));
        assertTrue(e.getMessage().contains("index 5 is out of bounds for dimension 0 with size 2"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> x.getItem(Index.all(), Index.of(0, -4)));
        assertTrue(e.getMessage().contains("index -4 is out of bounds for dimension 1 with size 3"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class,
                () -> x.getItem(Index.all(), Index.all(), Index.all(), Index.all()));
        assertTrue(e.getMessage().contains("too many indices for array: array is 3-dimensional, but 4 were indexed"),
                e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> x.getItem(Index.of(0, 1), Index.of(0, 1, 2)));
        assertTrue(m.getMessage().contains("could not be broadcast together with shapes (2,) (3,)"), m.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Index.range(0, 3, 0));
    }

    @Test
    void scatterAddAccumulatesRepeats() {
        Gather g = Gather.resolve(new int[] {3, 2}, Index.of(2, 0, 2));
        NDArray s = g.scatterAdd(NDArray.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
        assertValues(new double[] {3, 4, 0, 0, 6, 8}, s, 3, 2);
        assertArrayEquals(new int[] {3, 2}, g.resultShape());
        assertArrayEquals(new int[] {3, 2}, g.sourceShape());
    }

    // ------------------------------------------------------------ joining

    @Test
    void concatStackSplit() {
        NDArray a = NDArray.of(new double[] {1, 2, 3, 4}, 2, 2);
        NDArray b = NDArray.of(new double[] {5, 6}, 2, 1);
        assertValues(new double[] {1, 2, 5, 3, 4, 6}, NDArray.concat(1, a, b), 2, 3);
        assertValues(new double[] {1, 2, 3, 4, 1, 2, 3, 4}, NDArray.concat(0, a, a), 4, 2);
        assertValues(new double[] {1, 2, 1, 2, 3, 4, 3, 4}, NDArray.stack(1, a, a), 2, 2, 2);
        assertValues(new double[] {1, 1, 2, 2, 3, 3, 4, 4}, NDArray.stack(-1, a, a), 2, 2, 2);
        List<NDArray> parts = NDArray.concat(1, a, b).split(1, 2, 1);
        assertEquals(a, parts.get(0));
        assertEquals(b, parts.get(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NDArray.concat(0, a, b));
        assertTrue(e.getMessage().contains("sizes of arrays must match except in dimension 0: array 0 has shape (2, 2) "
                + "but array 1 has shape (2, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.stack(0, a, b));
        assertTrue(e.getMessage().contains("stack: expects each array to be equal size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.split(0, 1, 2));
        assertTrue(e.getMessage().contains("split sizes [1, 2] add up to 3 but dimension 0 of shape (2, 2) has size 2"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NDArray.concat(0, NDArray.scalar(1), NDArray.scalar(2)));
    }

    // ------------------------------------------------------------ matmul

    @Test
    void matmulByHand() {
        NDArray a = NDArray.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        NDArray b = NDArray.of(new double[][] {{7, 8}, {9, 10}, {11, 12}});
        assertValues(new double[] {58, 64, 139, 154}, a.matmul(b), 2, 2);
        assertValues(new double[] {14, 32}, a.matmul(NDArray.of(1, 2, 3)), 2);
        assertValues(new double[] {5, 7, 9}, NDArray.of(1, 1).matmul(a), 3);
        assertValues(new double[] {14}, NDArray.of(1, 2, 3).matmul(NDArray.of(1, 2, 3)));
        NDArray batch = NDArray.stack(0, a, a.mul(2.0));
        assertValues(new double[] {58, 64, 139, 154, 116, 128, 278, 308}, batch.matmul(b), 2, 2, 2);
        assertValues(new double[] {0, 0, 0, 0}, NDArray.zeros(2, 0).matmul(NDArray.zeros(0, 2)), 2, 2);
    }

    @Test
    void matmulErrorsLikePyTorch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.ones(2, 3).matmul(NDArray.ones(4, 5)));
        assertTrue(e.getMessage().contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.ones(2, 3, 4).matmul(NDArray.ones(2, 5, 6)));
        assertTrue(e.getMessage().contains("shapes (2, 3, 4) and (2, 5, 6) cannot be multiplied"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.ones(2, 3, 4).matmul(NDArray.ones(3, 4, 5)));
        assertTrue(e.getMessage().contains("matmul (batch dimensions): shapes (2,) and (3,) cannot be broadcast"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.scalar(2).matmul(NDArray.ones(2)));
        assertTrue(e.getMessage().contains("both arguments need at least 1 dimension"), e.getMessage());
    }

    // ------------------------------------------------------------ printing

    @Test
    void toStringLikeNumPy() {
        assertEquals("array([[1., 2.],\n       [3., 4.]], shape=(2, 2))",
                NDArray.of(new double[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals("array(3., shape=())", NDArray.scalar(3).toString());
        assertEquals("array([1.5000, -2.0000e-05, 3.0000e+09], shape=(3,))", NDArray.of(1.5, -2e-5, 3e9).toString());
        assertEquals("array([], shape=(0,))", NDArray.zeros(0).toString());
        assertEquals("array([nan, Infinity], shape=(2,))".replace("nan", "NaN"),
                NDArray.of(Double.NaN, Double.POSITIVE_INFINITY).toString());
    }

    @Test
    void toStringTruncatesLargeArrays() {
        assertEquals("array([0., 1., 2., ..., 1997., 1998., 1999.], shape=(2000,))", NDArray.arange(2000).toString());
        String s = NDArray.arange(3000).reshape(30, 100).toString();
        assertTrue(s.startsWith("array([[0., 1., 2., ..., 97., 98., 99.],\n       [100., 101., 102., ..., 197., 198., 199.],"),
                s);
        assertTrue(s.contains("\n       ...,\n       [2700., 2701., 2702., ..., 2797., 2798., 2799.],"), s);
        assertTrue(s.endsWith("[2900., 2901., 2902., ..., 2997., 2998., 2999.]], shape=(30, 100))"), s);
        assertEquals(7, s.split("\n").length);
        // up to 1000 elements nothing is left out
        assertFalse(NDArray.arange(1000).toString().contains("..."));
    }

    /** ReLU and leaky ReLU as PyTorch: NaN propagates, the negative side is scaled, derivatives 1 or slope; both dtypes. */
    @Test
    void reluFamilyKnownValuesAndNaN() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            NDArray x = NDArray.of(-2.0, -0.5, 0.0, 1.5, Double.NaN).astype(dt);
            NDArray r = x.relu();
            assertEquals(0.0, r.getFlat(0));
            assertEquals(0.0, r.getFlat(2));
            assertEquals(1.5, r.getFlat(3));
            assertTrue(Double.isNaN(r.getFlat(4)), "relu(NaN) is NaN, not 0");
            NDArray l = x.leakyRelu(0.25);
            assertEquals(-0.5, l.getFlat(0));
            assertEquals(-0.125, l.getFlat(1));
            assertEquals(1.5, l.getFlat(3));
            assertTrue(Double.isNaN(l.getFlat(4)));
            NDArray d = x.leakyReluDerivative(0.25);
            assertEquals(0.25, d.getFlat(1));
            assertEquals(0.25, d.getFlat(2), "derivative 0·slope side at 0, as PyTorch");
            assertEquals(1.0, d.getFlat(3));
            assertEquals(dt, l.dtype());
            assertEquals(dt, d.dtype());
            // the branch-free derivative on the edge cases: NaN and both zeros take the slope, +inf and the tiniest positive 1
            NDArray edge = NDArray.of(Double.NaN, -0.0, 0.0, Double.MIN_VALUE, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, -Double.MIN_VALUE).astype(dt);
            NDArray de = edge.leakyReluDerivative(0.5);
            double tiny = dt == DType.FLOAT32 ? 0.5 : 1.0; // Double.MIN_VALUE rounds to +0 in float32
            assertArrayEquals(new double[] {0.5, 0.5, 0.5, tiny, 1.0, 0.5, 0.5}, de.astype(DType.FLOAT64).toArray());
        }
    }
}
