package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link DType#promote} and {@link NDArray#resultType} against PyTorch's documented rules: the
 * promotion table is PyTorch's {@code _promoteTypesLookup} (c10/core/ScalarType.cpp) for the ten
 * dtypes Nabla has, typed in by hand, and the zero-dim rule is the one of
 * {@code torch.result_type}'s documentation.
 */
class DTypePromotionTest {

    /** Rows and columns in this order: u1 i1 i2 i4 i8 f2 f4 f8 b1 bf (PyTorch's ScalarType order, skipping complex). */
    private static final String ORDER = "u1 i1 i2 i4 i8 f2 f4 f8 b1 bf";
    private static final String[] TABLE = {
        /* u1 */ "u1 i2 i2 i4 i8 f2 f4 f8 u1 bf",
        /* i1 */ "i2 i1 i2 i4 i8 f2 f4 f8 i1 bf",
        /* i2 */ "i2 i2 i2 i4 i8 f2 f4 f8 i2 bf",
        /* i4 */ "i4 i4 i4 i4 i8 f2 f4 f8 i4 bf",
        /* i8 */ "i8 i8 i8 i8 i8 f2 f4 f8 i8 bf",
        /* f2 */ "f2 f2 f2 f2 f2 f2 f4 f8 f2 f4",
        /* f4 */ "f4 f4 f4 f4 f4 f4 f4 f8 f4 f4",
        /* f8 */ "f8 f8 f8 f8 f8 f8 f8 f8 f8 f8",
        /* b1 */ "u1 i1 i2 i4 i8 f2 f4 f8 b1 bf",
        /* bf */ "bf bf bf bf bf f4 f4 f8 bf bf",
    };
    private static final Map<String, DType> CODES = new HashMap<>();

    static {
        CODES.put("u1", DType.UINT8);
        CODES.put("i1", DType.INT8);
        CODES.put("i2", DType.INT16);
        CODES.put("i4", DType.INT32);
        CODES.put("i8", DType.INT64);
        CODES.put("f2", DType.FLOAT16);
        CODES.put("f4", DType.FLOAT32);
        CODES.put("f8", DType.FLOAT64);
        CODES.put("b1", DType.BOOL);
        CODES.put("bf", DType.BFLOAT16);
    }

    static DType pytorch(DType a, DType b) {
        String[] order = ORDER.split(" ");
        int i = -1;
        int j = -1;
        for (int k = 0; k < order.length; k++) {
            if (CODES.get(order[k]) == a) {
                i = k;
            }
            if (CODES.get(order[k]) == b) {
                j = k;
            }
        }
        return CODES.get(TABLE[i].split(" ")[j]);
    }

    @Property(tries = 200)
    void promoteIsPyTorchsTable(@ForAll DType a, @ForAll DType b) {
        assertEquals(pytorch(a, b), DType.promote(a, b), a + " with " + b);
        assertEquals(DType.promote(a, b), DType.promote(b, a), "symmetric");
    }

    /** Arrays with dimensions promote by the table; so does the dtype of every binary arithmetic result (half: the half dtype). */
    @Property(tries = 200)
    void arithmeticResultsHaveThePromotedDtype(@ForAll DType a, @ForAll DType b) {
        NDArray x = NDArray.of(1, 2, 3).astype(a);
        NDArray y = NDArray.of(1, 1, 0).astype(b);
        DType t = DType.promote(a, b);
        assertEquals(t, NDArray.resultType(x, y));
        if (t != DType.BOOL) {
            assertEquals(t, x.add(y).dtype(), "add " + a + " " + b);
            assertEquals(t, x.mul(y).dtype(), "mul " + a + " " + b);
            assertEquals(t, x.sub(y).dtype(), "sub " + a + " " + b);
        }
        assertEquals(t.isFloatingPoint() ? t : DType.FLOAT64, x.div(y.add(NDArray.scalar(DType.INT64, 1))).dtype(),
                "true division of integers gives float64");
        assertEquals(DType.BOOL, x.lt(y).dtype());
        assertEquals(t, NDArray.concat(0, x, y).dtype(), "concat promotes as PyTorch's cat");
    }

    @Test
    void zeroDimOperandsPromoteOnlyAcrossCategories() {
        NDArray i64 = NDArray.of(new long[] {1, 2}, 2);
        NDArray i32 = NDArray.of(new int[] {1, 2}, 2);
        NDArray f32 = NDArray.of(new float[] {1, 2}, 2);
        NDArray b = NDArray.of(new boolean[] {true, false}, 2);
        // same category: the dimensioned operand decides
        assertEquals(DType.INT32, NDArray.resultType(i32, NDArray.scalarLong(5)));
        assertEquals(DType.FLOAT32, NDArray.resultType(f32, NDArray.scalar(2.5)));
        assertEquals(DType.FLOAT16, NDArray.resultType(f32.astype(DType.FLOAT16), NDArray.scalar(2.5)));
        // a higher category: the 0-d operand's dtype
        assertEquals(DType.FLOAT64, NDArray.resultType(i64, NDArray.scalar(2.5)));
        assertEquals(DType.FLOAT32, NDArray.resultType(i64, NDArray.scalar(DType.FLOAT32, 2.5)));
        assertEquals(DType.INT64, NDArray.resultType(b, NDArray.scalarLong(3)));
        // both 0-d, or both with dimensions: the table
        assertEquals(DType.INT64, NDArray.resultType(NDArray.scalar(DType.INT32, 1), NDArray.scalarLong(1)));
        assertEquals(DType.INT64, NDArray.resultType(i32, i64));
        // a double argument is a Python float: it keeps float dtypes and promotes integers to the default float
        assertEquals(DType.INT32, i32.add(NDArray.scalarLong(1)).dtype());
        assertEquals(DType.FLOAT64, i32.add(1.0).dtype());
        assertEquals(DType.FLOAT32, f32.mul(3.0).dtype());
        assertEquals(DType.FLOAT64, b.mul(0.5).dtype());
    }

    @Test
    void categoriesAndNames() {
        for (DType t : DType.values()) {
            assertEquals(t, DType.fromSafetensorsName(t.safetensorsName()));
            int kinds = (t.isFloatingPoint() ? 1 : 0) + (t.isInteger() ? 1 : 0) + (t == DType.BOOL ? 1 : 0);
            assertEquals(1, kinds, t + " is exactly one of float, integer, bool");
        }
        assertEquals("bfloat16", DType.BFLOAT16.numpyName());
        assertEquals("I64", DType.INT64.safetensorsName());
        assertEquals(2, DType.FLOAT16.itemSize());
        assertEquals(1, DType.BOOL.itemSize());
        assertTrue(DType.BFLOAT16.isFloatingPoint());
        assertFalse(DType.BOOL.isInteger());
    }
}
