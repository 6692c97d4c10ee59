package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link NDArray#astype} between every pair of dtypes with PyTorch's conversion rules, the half
 * formats bit for bit (known patterns from IEEE-754 and PyTorch's {@code c10::Half} /
 * {@code c10::BFloat16}), and int64 values beyond 2^53 through every shape and indexing operation.
 */
class DTypeConversionTest {

    private static final long BIG = (1L << 53) + 1; // the first long a double cannot hold

    private static int f16(double v) {
        return NDArray.scalar(v).astype(DType.FLOAT16).toRawShorts()[0] & 0xffff;
    }

    private static int bf16(double v) {
        return NDArray.scalar(v).astype(DType.BFLOAT16).toRawShorts()[0] & 0xffff;
    }

    @Test
    void float16KnownBitPatterns() {
        assertEquals(0x3C00, f16(1.0));
        assertEquals(0xC000, f16(-2.0));
        assertEquals(0x0000, f16(0.0));
        assertEquals(0x8000, f16(-0.0));
        assertEquals(0x7BFF, f16(65504), "the largest half");
        assertEquals(0x7BFF, f16(65519), "below the midpoint to 2^16: rounds down");
        assertEquals(0x7C00, f16(65520), "the midpoint rounds to even: infinity");
        assertEquals(0x7C00, f16(1e10));
        assertEquals(0xFC00, f16(Double.NEGATIVE_INFINITY));
        assertEquals(0x7E00, f16(Double.NaN), "PyTorch's NaN");
        assertEquals(0x0001, f16(Math.scalb(1.0, -24)), "the smallest subnormal");
        assertEquals(0x0000, f16(Math.scalb(1.0, -25)), "half of it: a tie, to even (0)");
        assertEquals(0x0002, f16(3 * Math.scalb(1.0, -25)), "1.5 units: a tie, to even (2)");
        assertEquals(0x03FF, f16(1023 * Math.scalb(1.0, -24)), "the largest subnormal");
        assertEquals(0x0400, f16(Math.scalb(1.0, -14)), "the smallest normal");
        assertEquals(0x3C00, f16(1 + Math.scalb(1.0, -11)), "1 + half an ulp: tie to even (down)");
        assertEquals(0x3C02, f16(1 + 3 * Math.scalb(1.0, -11)), "1 + 1.5 ulp: tie to even (up)");
        assertEquals(0x3555, f16(1.0 / 3), "1/3 as numpy.float16");
        NDArray h = NDArray.ofRawShorts(DType.FLOAT16, new short[] {0x3C00, (short) 0x7BFF, 0x0001, (short) 0xFC00}, 4);
        assertArrayEquals(new double[] {1, 65504, Math.scalb(1.0, -24), Double.NEGATIVE_INFINITY}, h.toArray());
    }

    @Test
    void bfloat16KnownBitPatterns() {
        assertEquals(0x3F80, bf16(1.0));
        assertEquals(0xC000, bf16(-2.0));
        assertEquals(0x7FC0, bf16(Double.NaN), "PyTorch's NaN");
        assertEquals(0x7F80, bf16(Double.POSITIVE_INFINITY));
        assertEquals(0x7F80, bf16(Float.MAX_VALUE), "beyond the largest bfloat16: infinity");
        assertEquals(0x3F80, bf16(1 + Math.scalb(1.0, -8)), "1 + half an ulp: tie to even (down)");
        assertEquals(0x3F82, bf16(1 + 3 * Math.scalb(1.0, -8)), "1 + 1.5 ulp: tie to even (up)");
        assertEquals(0x3EAB, bf16(1.0 / 3));
        NDArray b = NDArray.ofRawShorts(DType.BFLOAT16, new short[] {0x3F80, (short) 0xC000, 0x0001}, 3);
        assertArrayEquals(new double[] {1, -2, Math.scalb(1.0, -133)}, b.toArray(), "bfloat16 subnormal exact");
    }

    /** Every non-NaN half bit pattern widens to float32 and rounds back to itself; NaNs stay NaN. */
    @Test
    void everyHalfBitPatternRoundTrips() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short s = (short) bits;
            float f = HalfFloats.float16BitsToFloat(s);
            float g = HalfFloats.bfloat16BitsToFloat(s);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.float16BitsToFloat(HalfFloats.toFloat16Bits(f))));
            } else {
                assertEquals(bits, HalfFloats.toFloat16Bits(f) & 0xffff, "float16 " + Integer.toHexString(bits));
            }
            if (!Float.isNaN(g)) {
                assertEquals(bits, HalfFloats.toBFloat16Bits(g) & 0xffff, "bfloat16 " + Integer.toHexString(bits));
            }
        }
    }

    /** float32 to float16 picks the nearest half, ties to the even pattern (checked against both neighbours). */
    @Property(tries = 2000)
    void float16IsTheNearestHalf(@ForAll @FloatRange(min = -70000f, max = 70000f) float f) {
        short h = HalfFloats.toFloat16Bits(f);
        double v = HalfFloats.float16BitsToFloat(h);
        if (Double.isInfinite(v)) {
            assertTrue(Math.abs(f) >= 65520f, f + " overflowed");
            return;
        }
        double err = Math.abs(f - v);
        for (int d : new int[] {-1, 1}) {
            short n = (short) (h + d);
            double w = HalfFloats.float16BitsToFloat(n);
            if (Double.isNaN(w) || Math.signum(w) * Math.signum(v) < 0) {
                continue;
            }
            double e2 = Math.abs(f - w);
            assertTrue(err < e2 || (err == e2 && (h & 1) == 0), f + " -> " + v + " but " + w + " is nearer (or the even tie)");
        }
    }

    @Test
    void floatToIntegerTruncatesTowardZero() {
        NDArray x = NDArray.of(-2.7, -0.5, 0.5, 2.7, Double.NaN, 1e30, -1e30);
        assertArrayEquals(new long[] {-2, 0, 0, 2, 0, Long.MAX_VALUE, Long.MIN_VALUE}, x.astype(DType.INT64).toLongArray());
        assertArrayEquals(new int[] {-2, 0, 0, 2}, NDArray.of(-2.7, -0.5, 0.5, 2.7).astype(DType.INT32).toIntArray());
        assertArrayEquals(new int[] {-2, 0, 0, 2}, NDArray.of(-2.7, -0.5, 0.5, 2.7).astype(DType.FLOAT16).astype(DType.INT8).toIntArray());
        // narrowing keeps the low bits, as two's complement (PyTorch: 300 -> uint8 44, -1 -> 255)
        NDArray i = NDArray.of(new long[] {300, -1, 40000, 128}, 4);
        assertArrayEquals(new long[] {44, 255, 64, 128}, i.astype(DType.UINT8).toLongArray());
        assertArrayEquals(new long[] {44, -1, 64, -128}, i.astype(DType.INT8).toLongArray());
        assertArrayEquals(new long[] {300, -1, -25536, 128}, i.astype(DType.INT16).toLongArray());
        assertArrayEquals(new long[] {44, 255, 64, 128}, NDArray.of(300.0, -1.0, 40000.0, 128.0).astype(DType.UINT8).toLongArray());
    }

    @Test
    void boolConversions() {
        NDArray x = NDArray.of(0.0, -0.0, Double.NaN, 2.0, -1e-300);
        assertArrayEquals(new boolean[] {false, false, true, true, true}, x.astype(DType.BOOL).toBooleanArray());
        NDArray b = NDArray.of(new boolean[] {true, false}, 2);
        assertArrayEquals(new double[] {1, 0}, b.astype(DType.FLOAT64).toArray());
        assertArrayEquals(new long[] {1, 0}, b.astype(DType.UINT8).toLongArray());
        assertArrayEquals(new boolean[] {true, false, true}, NDArray.of(new long[] {256, 0, -1}, 3).astype(DType.BOOL).toBooleanArray(),
                "bool is != 0, not the low bit");
    }

    /** Small integers hold in every dtype: a conversion out and back is the identity for all 100 dtype pairs. */
    @Property(tries = 300)
    void smallIntegersRoundTripThroughEveryDtype(@ForAll DType a, @ForAll DType b, @ForAll @IntRange(min = 0, max = 127) int v) {
        long w = a == DType.BOOL || b == DType.BOOL ? (v & 1) : v;
        NDArray x = NDArray.of(new long[] {w, 0}, 2).astype(a);
        NDArray y = x.astype(b).astype(a);
        assertEquals(a, y.dtype());
        assertArrayEquals(x.toLongArray(), y.toLongArray(), a + " -> " + b + " -> " + a);
        assertEquals(x, y);
    }

    @Test
    void int64BeyondTwoToThe53IsExactEverywhere() {
        long[] v = {Long.MIN_VALUE, BIG, Long.MAX_VALUE, -BIG, 7, BIG + 2};
        NDArray x = NDArray.of(v, 2, 3);
        assertArrayEquals(v, x.astype(DType.INT64).toLongArray());
        assertArrayEquals(v, x.reshape(3, 2).flatten().toLongArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE, -BIG, BIG, 7, Long.MAX_VALUE, BIG + 2}, x.transpose().toLongArray());
        assertEquals(BIG, x.getLong(0, 1));
        assertEquals(Long.MAX_VALUE, x.get0(0).getItem(Index.at(2)).itemLong());
        assertArrayEquals(new long[] {-BIG, 7, BIG + 2, Long.MIN_VALUE, BIG, Long.MAX_VALUE}, x.take(1, 0).toLongArray());
        assertArrayEquals(new long[] {BIG, 7}, x.getItem(Index.of(0, 1), Index.of(1, 1)).toLongArray());
        assertArrayEquals(new long[] {BIG, Long.MAX_VALUE, 7, BIG + 2}, x.slice(1, 1, 3).toLongArray());
        NDArray c = NDArray.concat(0, x, x.slice(0, 0, 1));
        assertEquals(BIG, c.getLong(2, 1));
        assertArrayEquals(new long[] {BIG, BIG, BIG}, NDArray.scalarLong(BIG).broadcastTo(3).toLongArray());
        assertEquals(BIG + 1, NDArray.scalarLong(BIG).add(NDArray.scalarLong(1)).itemLong(), "integer arithmetic is exact");
        assertEquals(Long.MIN_VALUE, NDArray.scalarLong(Long.MAX_VALUE).add(NDArray.scalarLong(1)).itemLong(), "and wraps");
        assertEquals(Long.MAX_VALUE, x.max(null, false).itemLong());
        assertEquals(2, x.argmax(), "flat argmax");
        assertNotEquals(NDArray.of(new long[] {BIG}, 1), NDArray.of(new long[] {BIG - 1}, 1));
        assertNotEquals(NDArray.of(new long[] {BIG}, 1), NDArray.of(new double[] {BIG}, 1), "the double is 2^53, not 2^53+1");
        assertEquals(NDArray.of(new long[] {1, 2}, 2), NDArray.of(1, 2), "values equal across dtypes");
        assertTrue(x.toString().contains("9007199254740993"), x.toString());
        NDArray y = x.copy();
        y.setLong(BIG + 10, 1, 2);
        assertEquals(BIG + 10, y.getLong(1, 2));
        assertEquals(BIG + 2, x.getLong(1, 2), "copy is a copy");
    }

    @Test
    void printingNamesNonDefaultDtypes() {
        assertEquals("array([1, -2], shape=(2,))", NDArray.of(new long[] {1, -2}, 2).toString());
        assertEquals("array([1, -2], shape=(2,), dtype=int32)", NDArray.of(new int[] {1, -2}, 2).toString());
        assertEquals("array([True, False], shape=(2,))", NDArray.of(new boolean[] {true, false}, 2).toString());
        assertEquals("array(1.5000, shape=(), dtype=float16)", NDArray.scalar(DType.FLOAT16, 1.5).toString());
        assertEquals("array([255, 0], shape=(2,), dtype=uint8)", NDArray.of(new long[] {-1, 256}, 2).astype(DType.UINT8).toString());
    }
}
