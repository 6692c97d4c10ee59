package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Samplers;
import java.util.Random;
import java.util.function.BiPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Comparisons, logical operations, where, maskedFill, argmax, integer reductions and integer-array
 * indexing on every dtype, against plain scalar loops over the broadcast operands; the error
 * messages for bool masks and index arrays of the wrong dtype.
 */
class TypedOpsProperties {

    private static final String[] CMP = {"eq", "ne", "lt", "le", "gt", "ge"};

    private static NDArray cmp(String op, NDArray a, NDArray b) {
        switch (op) {
            case "eq": return a.eq(b);
            case "ne": return a.ne(b);
            case "lt": return a.lt(b);
            case "le": return a.le(b);
            case "gt": return a.gt(b);
            default: return a.ge(b);
        }
    }

    private static BiPredicate<Double, Double> ref(String op) {
        switch (op) {
            case "eq": return (u, v) -> u.doubleValue() == v.doubleValue();
            case "ne": return (u, v) -> u.doubleValue() != v.doubleValue();
            case "lt": return (u, v) -> u < v;
            case "le": return (u, v) -> u <= v;
            case "gt": return (u, v) -> u > v;
            default: return (u, v) -> u >= v;
        }
    }

    /** Small integers (exact in every dtype; 0/1 for bool) of {@code dtype}, with repeats so that ties happen. */
    static NDArray small(Random r, DType dtype, int... shape) {
        int n = Shapes.size(shape);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = dtype == DType.BOOL ? r.nextInt(2) : r.nextInt(7) - (dtype == DType.UINT8 ? 0 : 3);
        }
        return NDArray.of(v, shape).astype(dtype);
    }

    @Property(tries = 300)
    void comparisonsMatchAScalarLoop(@ForAll DType da, @ForAll DType db, @ForAll long seed) {
        Random r = new Random(seed);
        int[][] s = Samplers.broadcastPair(r);
        NDArray a = small(r, da, s[0]);
        NDArray b = small(r, db, s[1]);
        int[] out = Shapes.broadcast("test", s[0], s[1]);
        // compared in the result type, as PyTorch: uint8 (N) < int64 0-d -3 compares with 253
        DType t = NDArray.resultType(a, b);
        NDArray wa = a.astype(t).astype(DType.FLOAT64).broadcastTo(out);
        NDArray wb = b.astype(t).astype(DType.FLOAT64).broadcastTo(out);
        for (String op : CMP) {
            NDArray got = cmp(op, a, b);
            assertEquals(DType.BOOL, got.dtype(), op);
            assertArrayEquals(out, got.shape(), op);
            for (int i = 0; i < got.size(); i++) {
                boolean want = ref(op).test(wa.getFlat(i), wb.getFlat(i));
                assertEquals(want, got.getFlatLong(i) == 1, op + " " + da + " " + db + " at " + i);
            }
        }
        NDArray and = a.logicalAnd(b);
        NDArray or = a.logicalOr(b);
        NDArray xor = a.logicalXor(b);
        NDArray ra = a.astype(DType.FLOAT64).broadcastTo(out);
        NDArray rb = b.astype(DType.FLOAT64).broadcastTo(out);
        for (int i = 0; i < and.size(); i++) {
            boolean p = ra.getFlat(i) != 0;
            boolean q = rb.getFlat(i) != 0;
            assertEquals(p && q, and.getFlatLong(i) == 1);
            assertEquals(p || q, or.getFlatLong(i) == 1);
            assertEquals(p ^ q, xor.getFlatLong(i) == 1);
        }
        assertEquals(a.eq(0.0), a.logicalNot());
    }

    @Test
    void int64ComparisonsAreExactBeyondTwoToThe53() {
        long big = 1L << 53;
        NDArray a = NDArray.of(new long[] {big + 1, big, Long.MAX_VALUE}, 3);
        NDArray b = NDArray.of(new long[] {big, big + 1, Long.MAX_VALUE - 1}, 3);
        assertArrayEquals(new boolean[] {false, false, false}, a.eq(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, true}, a.gt(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, true}, a.gt(NDArray.scalarLong(big)).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false}, NDArray.of(1.5, 2.0, 2.5).eq(NDArray.of(new long[] {1, 2, 3}, 3)).toBooleanArray(),
                "int with float compares in the float");
    }

    @Property(tries = 300)
    void whereAndMaskedFillMatchAScalarLoop(@ForAll DType da, @ForAll DType db, @ForAll long seed) {
        Random r = new Random(seed);
        int[] out = Samplers.shape(r);
        NDArray cond = Samplers.mask(r, Samplers.broadcastableTo(r, out, false));
        NDArray a = small(r, da, Samplers.broadcastableTo(r, out, false));
        NDArray b = small(r, db, Samplers.broadcastableTo(r, out, false));
        int[] s = Shapes.broadcast("t", Shapes.broadcast("t", cond.shape(), a.shape()), b.shape());
        NDArray w = NDArray.where(cond, a, b);
        DType t = NDArray.resultType(a, b);
        assertEquals(t, w.dtype());
        assertArrayEquals(s, w.shape());
        NDArray c = cond.broadcastTo(s);
        NDArray x = a.astype(t).broadcastTo(s);
        NDArray y = b.astype(t).broadcastTo(s);
        for (int i = 0; i < w.size(); i++) {
            assertEquals(c.getFlatLong(i) == 1 ? x.getFlatLong(i) : y.getFlatLong(i), w.getFlatLong(i), "where at " + i);
        }
        NDArray full = small(r, da, out);
        NDArray mask = Samplers.mask(r, Samplers.broadcastableTo(r, out, false));
        NDArray f = full.maskedFill(mask, 1);
        assertEquals(da, f.dtype());
        NDArray m = mask.broadcastTo(out);
        for (int i = 0; i < f.size(); i++) {
            assertEquals(m.getFlatLong(i) == 1 ? 1 : full.getFlatLong(i), f.getFlatLong(i), "maskedFill at " + i);
        }
    }

    @Property(tries = 200)
    void argmaxIsTheFirstOccurrence(@ForAll DType dt, @ForAll long seed, @ForAll boolean max) {
        Random r = new Random(seed);
        int[] s = Samplers.shape(r);
        if (s.length == 0 || Shapes.size(s) == 0) {
            return;
        }
        NDArray a = small(r, dt, s);
        int axis = Shapes.axis("test", Samplers.axis(r, s.length), s.length);
        NDArray got = max ? a.argmax(axis) : a.argmin(axis);
        assertEquals(DType.INT64, got.dtype());
        int len = s[axis];
        int[] perm = new int[s.length];
        for (int d = 0, p = 0; d < s.length; d++) {
            if (d != axis) {
                perm[p++] = d;
            }
        }
        perm[s.length - 1] = axis;
        NDArray flat = a.astype(DType.FLOAT64).permute(perm).reshape(-1, len); // rows in the order of got's elements
        // compare row by row against a loop keeping the first best
        long[] w = new long[flat.shape(0)];
        for (int row = 0; row < w.length; row++) {
            int best = 0;
            for (int j = 1; j < len; j++) {
                double v = flat.get(row, j);
                double bv = flat.get(row, best);
                if (max ? v > bv : v < bv) {
                    best = j;
                }
            }
            w[row] = best;
        }
        assertArrayEquals(w, got.flatten().toLongArray(), "argmax along " + axis + " of " + Shapes.str(s));
    }

    @Test
    void argmaxKnownAnswers() {
        NDArray x = NDArray.of(new double[][] {{1, 3, 3, 0}, {2, Double.NaN, 5, Double.NaN}});
        assertArrayEquals(new long[] {1, 1}, x.argmax(1).toLongArray(), "first of the tied maxima; the first NaN wins");
        assertArrayEquals(new long[] {3, 1}, x.argmin(1).toLongArray());
        assertEquals(5, x.argmax(), "flat: the NaN");
        assertArrayEquals(new long[] {1, 1, 1, 1}, x.argmax(0).toLongArray());
        assertArrayEquals(new long[] {0, 1, 0, 1}, x.argmin(0).toLongArray(), "NaN is also the minimum");
        assertEquals(0, NDArray.scalar(4).argmax(0).itemLong());
        assertArrayEquals(new long[] {2, 0}, NDArray.of(new long[] {1, 2, Long.MAX_VALUE, Long.MAX_VALUE - 1, 0, 0}, 2, 3).argmax(1).toLongArray());
        assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(2, 0).argmax(1));
    }

    @Property(tries = 200)
    void integerSumMaxMinMatchALoop(@ForAll DType dt, @ForAll long seed) {
        if (dt.isFloatingPoint()) {
            return;
        }
        Random r = new Random(seed);
        int[] s = Samplers.shape(r);
        NDArray a = small(r, dt, s);
        long sum = 0;
        for (long v : a.toLongArray()) {
            sum += v;
        }
        NDArray total = a.sum();
        assertEquals(DType.INT64, total.dtype(), "PyTorch sums integers and bools to int64");
        assertEquals(sum, total.itemLong());
        if (s.length > 0) {
            int axis = Samplers.axis(r, s.length);
            assertEquals(a.astype(DType.FLOAT64).sum(new int[] {axis}, false), a.sum(new int[] {axis}, false));
            if (Shapes.size(s) > 0) {
                NDArray mx = a.max(new int[] {axis}, true);
                assertEquals(dt, mx.dtype());
                assertEquals(a.astype(DType.FLOAT64).max(new int[] {axis}, true), mx);
            }
        }
    }

    @Test
    void integerArithmeticWrapsAndDividesTrue() {
        NDArray i32 = NDArray.of(new int[] {Integer.MAX_VALUE, -7, 7}, 3);
        assertArrayEquals(new int[] {Integer.MIN_VALUE, -6, 8}, i32.add(NDArray.of(new int[] {1}, 1)).toIntArray());
        assertArrayEquals(new long[] {-1, 2, 0}, NDArray.ofRawBytes(DType.INT8, new byte[] {127, 1, 0}, 3)
                .add(NDArray.ofRawBytes(DType.INT8, new byte[] {127, 1, 0}, 3)).add(NDArray.ofRawBytes(DType.INT8, new byte[] {1, 0, 0}, 3))
                .toLongArray(), "int8 wraps at 8 bits: 127 + 127 = -2, + 1 = -1");
        NDArray q = NDArray.of(new long[] {7, -7}, 2).div(NDArray.of(new long[] {2, 2}, 2));
        assertEquals(DType.FLOAT64, q.dtype());
        assertArrayEquals(new double[] {3.5, -3.5}, q.toArray());
        assertArrayEquals(new long[] {8, 1, -8}, NDArray.of(new long[] {2, 1, -2}, 3).pow(NDArray.scalarLong(3)).toLongArray());
        assertArrayEquals(new int[] {-Integer.MAX_VALUE, 7, -7}, i32.neg().toIntArray());
        assertArrayEquals(new int[] {Integer.MIN_VALUE}, NDArray.of(new int[] {Integer.MIN_VALUE}, 1).neg().toIntArray(), "wraps");
        assertArrayEquals(new long[] {7, 7, 0}, NDArray.of(new long[] {-7, 7, 0}, 3).abs().toLongArray());
        assertEquals(DType.INT32, i32.neg().dtype());
        assertEquals(DType.FLOAT64, i32.exp().dtype(), "transcendental functions of integers give the default float");
        assertEquals(DType.FLOAT16, NDArray.scalar(DType.FLOAT16, 2).exp().dtype(), "half computes in float32 and rounds back");
        assertEquals(0x4764, NDArray.scalar(DType.FLOAT16, 2).exp().toRawShorts()[0] & 0xffff, "exp(2) = 7.389 as float16");
        assertEquals(DType.BFLOAT16, NDArray.full(DType.BFLOAT16, 3, 2).add(NDArray.full(DType.BFLOAT16, 4, 2)).dtype());
        assertArrayEquals(new double[] {7, 7}, NDArray.full(DType.BFLOAT16, 3, 2).add(NDArray.full(DType.BFLOAT16, 4, 2)).toArray());
    }

    @Test
    void boolOperationsFollowPyTorch() {
        NDArray t = NDArray.of(new boolean[] {true, true, false, false}, 4);
        NDArray u = NDArray.of(new boolean[] {true, false, true, false}, 4);
        assertArrayEquals(new boolean[] {true, true, true, false}, t.add(u).toBooleanArray(), "bool + bool is or");
        assertArrayEquals(new boolean[] {true, false, false, false}, t.mul(u).toBooleanArray(), "bool * bool is and");
        assertEquals(DType.INT64, t.sum().dtype());
        assertEquals(2, t.sum().itemLong());
        IllegalArgumentException sub = assertThrows(IllegalArgumentException.class, () -> t.sub(u));
        assertTrue(sub.getMessage().contains("subtraction, the `-` operator, with two bool arrays is not supported"), sub.getMessage());
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, t::neg);
        assertTrue(neg.getMessage().contains("logicalNot()"), neg.getMessage());
    }

    @Test
    void masksAndIndicesOfTheWrongDtypeAreRefused() {
        NDArray x = NDArray.of(1, 2, 3);
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> NDArray.where(NDArray.of(1, 0, 1), x, x));
        assertEquals("where: expected the condition to be a bool array, but got an array of dtype float64 (shape (3,)); "
                + "make a mask with a comparison, e.g. cond.ne(0), or convert it with astype(DType.BOOL)", w.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> x.maskedFill(NDArray.of(1, 0, 1), 0));
        assertTrue(m.getMessage().startsWith("maskedFill: only bool masks are supported, but got a mask of dtype float64"), m.getMessage());
        IllegalArgumentException mb = assertThrows(IllegalArgumentException.class,
                () -> x.maskedFill(NDArray.of(new boolean[] {true, false, true, true, false, false}, 2, 3), 0));
        assertTrue(mb.getMessage().contains("cannot be broadcast to the array's shape (3,)"), mb.getMessage());
        IllegalArgumentException i = assertThrows(IllegalArgumentException.class, () -> Index.of(NDArray.of(0.0, 1.0)));
        assertTrue(i.getMessage().startsWith("Index.of: tensors used as indices must be integer arrays"), i.getMessage());
        IndexOutOfBoundsException big = assertThrows(IndexOutOfBoundsException.class,
                () -> x.take(NDArray.of(new long[] {0, 1L << 40}, 2)));
        assertTrue(big.getMessage().contains("index 1099511627776 (at position 1) is out of bounds"), big.getMessage());
        IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                () -> x.take(NDArray.of(new long[] {0, 3}, 2)));
        assertTrue(oob.getMessage().contains("index 3 is out of bounds for dimension 0 with size 3"), oob.getMessage());
        IllegalArgumentException mean = assertThrows(IllegalArgumentException.class, () -> NDArray.of(new long[] {1, 2}, 2).mean());
        assertTrue(mean.getMessage().startsWith("mean(): could not infer output dtype. Input dtype must be either a floating point"),
                mean.getMessage());
        IllegalArgumentException var = assertThrows(IllegalArgumentException.class, () -> NDArray.of(new int[] {1, 2}, 2).var(null, false, 0));
        assertTrue(var.getMessage().startsWith("var(): std and var only support floating point dtypes, got int32"), var.getMessage());
        NDArray ints = NDArray.of(new long[] {1, 2, 3, 4}, 2, 2);
        IllegalArgumentException mm = assertThrows(IllegalArgumentException.class, () -> ints.matmul(ints));
        assertTrue(mm.getMessage().startsWith("matmul: integer and bool operands are not supported (got int64 (2, 2) and int64 (2, 2))"),
                mm.getMessage());
        NDArray h = ints.astype(DType.FLOAT16);
        NDArray hh = h.matmul(h);
        assertEquals(DType.FLOAT16, hh.dtype(), "half matmul computes in float32 and rounds back");
        assertArrayEquals(new double[] {7, 10, 15, 22}, hh.toArray());
    }

    @Test
    void indexingWithInt64AndInt32Arrays() {
        NDArray x = NDArray.arange(12).reshape(4, 3);
        NDArray ids = NDArray.of(new long[] {3, 0, -1, 1, 1, 2}, 2, 3);
        NDArray t = x.take(ids);
        assertArrayEquals(new int[] {2, 3, 3}, t.shape(), "ids.shape + (3,)");
        assertEquals(x.take(3, 0, 3, 1, 1, 2).reshape(2, 3, 3), t);
        assertEquals(x.getItem(Index.of(2, 0), Index.of(1, 1)), x.getItem(Index.of(NDArray.of(new int[] {2, 0}, 2)),
                Index.of(NDArray.of(new long[] {1, 1}, 2))));
        assertEquals(x.get0(2), x.getItem(Index.of(NDArray.scalarLong(2))), "a 0-d index is a position");
        // torch.gather's documented example: [[1,2],[3,4]] gathered along 1 by [[0,0],[1,0]] is [[1,1],[4,3]]
        NDArray g = NDArray.of(new long[] {1, 2, 3, 4}, 2, 2).gather(1, NDArray.of(new long[] {0, 0, 1, 0}, 2, 2));
        assertArrayEquals(new long[] {1, 1, 4, 3}, g.toLongArray());
        assertEquals(DType.INT64, g.dtype());
        assertArrayEquals(new double[] {9, 1, 2}, x.gather(0, NDArray.of(new long[] {3, 0, 0}, 1, 3)).toArray());
        assertThrows(IndexOutOfBoundsException.class, () -> x.gather(1, NDArray.of(new long[] {3}, 1, 1)));
    }

    @Test
    void boolMasksSelect() {
        NDArray x = NDArray.arange(6).reshape(2, 3);
        NDArray m = x.gt(2.5).logicalOr(x.eq(0.0));
        NDArray sel = x.maskedSelect(m);
        assertArrayEquals(new double[] {0, 3, 4, 5}, sel.toArray(), "x[mask] in row-major order");
        assertArrayEquals(new double[] {1, 2, 4, 5}, x.maskedSelect(NDArray.of(new boolean[] {false, true, true}, 3)).toArray(),
                "a row mask broadcast over the rows");
        assertEquals(x.get0(1), x.getItem(Index.of(NDArray.of(new boolean[] {false, true}, 2))).get0(0));
        assertArrayEquals(new double[] {0, 2, 3, 5}, x.getItem(Index.all(), Index.of(NDArray.of(new boolean[] {true, false, true}, 3)))
                .toArray(), "x[:, mask]");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> x.getItem(Index.of(NDArray.of(new boolean[] {true, false, true}, 3))));
        assertEquals("getItem: the shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2] at index 0",
                e.getMessage());
        assertEquals(0, x.maskedSelect(NDArray.of(new boolean[] {false})).size());
        assertThrows(IllegalArgumentException.class, () -> x.maskedSelect(NDArray.of(1.0, 0.0, 1.0)));
    }

    @Property(tries = 100)
    void takeWithAnInt64ArrayEqualsTakeWithInts(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int rows) {
        Random r = new Random(seed);
        NDArray x = Samplers.array(r, dev.nabla.autograd.Domain.REAL, rows, 2);
        int n = r.nextInt(5);
        int[] p = new int[n];
        long[] q = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = r.nextInt(2 * rows) - rows;
            q[i] = p[i];
        }
        assertEquals(x.take(p), x.take(NDArray.of(q, n)));
        assertEquals(x.take(p), x.take(NDArray.of(p.clone(), n)));
    }
}
