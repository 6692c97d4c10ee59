package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Known answers for the float32 dtype: names, factories, printing, equality, promotion and storage sharing. */
class Float32Test {

    @Test
    void dtypeNamesSizesAndPromotion() {
        assertEquals("F64", DType.FLOAT64.safetensorsName());
        assertEquals("F32", DType.FLOAT32.safetensorsName());
        assertEquals(8, DType.FLOAT64.itemSize());
        assertEquals(4, DType.FLOAT32.itemSize());
        assertEquals("float32", DType.FLOAT32.numpyName());
        assertEquals(DType.FLOAT32, DType.fromSafetensorsName("F32"));
        assertNull(DType.fromSafetensorsName("U16"));
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT32, DType.FLOAT64));
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT64, DType.FLOAT32));
        assertEquals(DType.FLOAT32, DType.promote(DType.FLOAT32, DType.FLOAT32));
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT64, DType.FLOAT64));
    }

    @Test
    void float64StaysTheDefault() {
        assertEquals(DType.FLOAT64, NDArray.zeros(2).dtype());
        assertEquals(DType.FLOAT64, NDArray.of(1, 2).dtype());
        assertEquals(DType.FLOAT64, NDArray.randn(new Random(1), 2).dtype());
        assertEquals(DType.FLOAT64, NDArray.scalar(1).dtype());
        assertEquals(DType.FLOAT64, NDArray.arange(3).dtype());
    }

    @Test
    void factoriesMakeFloat32() {
        NDArray z = NDArray.zeros(DType.FLOAT32, 2, 3);
        assertEquals(DType.FLOAT32, z.dtype());
        assertArrayEquals(new float[6], z.toFloatArray());
        assertArrayEquals(new float[] {1, 1}, NDArray.ones(DType.FLOAT32, 2).toFloatArray());
        assertArrayEquals(new float[] {0.1f, 0.1f}, NDArray.full(DType.FLOAT32, 0.1, 2).toFloatArray());
        NDArray s = NDArray.scalar(DType.FLOAT32, 0.1);
        assertEquals(0, s.ndim());
        assertEquals((double) 0.1f, s.item());
        assertEquals(DType.FLOAT64, NDArray.zeros(DType.FLOAT64, 2).dtype());
        assertEquals(DType.FLOAT32, NDArray.fullLike(z, 2).dtype());
        assertEquals(DType.FLOAT64, NDArray.fullLike(NDArray.zeros(1), 2).dtype());
    }

    @Test
    void ofFloatArrayWrapsWithoutCopyingAndChecksTheSize() {
        float[] d = {1, 2, 3, 4, 5, 6};
        NDArray a = NDArray.of(d, 2, 3);
        assertEquals(DType.FLOAT32, a.dtype());
        assertEquals(6.0, a.get(1, 2));
        assertEquals(2.0, a.getFlat(1));
        d[0] = 9; // handed-over storage
        assertEquals(9.0, a.get(0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NDArray.of(d, 4, 2));
        assertEquals("NDArray.of: shape (4, 2) needs 8 values but 6 were given", e.getMessage());
        assertThrows(IllegalStateException.class, a::item);
    }

    @Test
    void viewsShareFloat32StorageAndVersion() {
        NDArray a = NDArray.of(new float[] {1, 2, 3, 4}, 2, 2);
        NDArray v = a.reshape(4);
        assertEquals(DType.FLOAT32, v.dtype());
        v.setFlat(3, 7.5);
        assertEquals(7.5, a.get(1, 1));
        assertEquals(1, a.version());
        assertEquals(DType.FLOAT32, a.flatten().dtype());
        assertEquals(DType.FLOAT32, a.unsqueeze(0).dtype());
        assertEquals(DType.FLOAT32, a.squeeze().dtype());
    }

    @Test
    void toStringNamesFloat32LikeNumPy() {
        assertEquals("array([1.0000, 2.5000], shape=(2,))", NDArray.of(1, 2.5).toString());
        assertEquals("array([1., -2.], shape=(2,), dtype=float32)", NDArray.of(new float[] {1, -2}, 2).toString());
        assertEquals("array([[0.1000, 2.0000]], shape=(1, 2), dtype=float32)",
                NDArray.of(new float[] {0.1f, 2}, 1, 2).toString());
        assertEquals("array(3., shape=(), dtype=float32)", NDArray.scalar(DType.FLOAT32, 3).toString());
        assertFalse(NDArray.of(1, 2).toString().contains("dtype"));
    }

    @Test
    void equalityComparesValuesAcrossDtypes() {
        NDArray f = NDArray.of(new float[] {0.5f, -1f}, 2);
        NDArray d = NDArray.of(0.5, -1);
        assertEquals(f, d);
        assertEquals(d, f);
        assertEquals(f.hashCode(), d.hashCode());
        assertNotEquals(NDArray.of(new float[] {0.1f}, 1), NDArray.of(0.1)); // 0.1f is not 0.1
        assertTrue(NDArray.of(new float[] {0.1f}, 1).allClose(NDArray.of(0.1), 1e-7, 0));
        assertFalse(NDArray.of(new float[] {0.1f}, 1).allClose(NDArray.of(0.1), 1e-9, 0));
        assertEquals((double) 0.1f - 0.1, NDArray.of(new float[] {0.1f}, 1).maxAbsDiff(NDArray.of(0.1)));
        assertNotEquals(NDArray.of(new float[] {0.5f}, 1), NDArray.of(new float[] {0.5f}, 1, 1));
        assertEquals(NDArray.of(new float[] {Float.NaN}, 1), NDArray.of(Double.NaN));
    }

    @Test
    void zeroDimArraysDoNotPromoteArraysWithDimensions() {
        NDArray x = NDArray.of(new float[] {1, 2}, 2);
        assertEquals(DType.FLOAT32, x.add(NDArray.scalar(0.1)).dtype());
        assertEquals((double) (2f + 0.1f), x.add(NDArray.scalar(0.1)).getFlat(1));
        assertEquals(DType.FLOAT64, x.add(NDArray.of(0.1)).dtype()); // shape (1,) has a dimension
        assertEquals(2 + 0.1, x.add(NDArray.of(0.1)).getFlat(1));
        assertEquals(DType.FLOAT64, NDArray.scalar(DType.FLOAT32, 1).add(NDArray.scalar(1)).dtype());
        assertEquals(DType.FLOAT64, NDArray.scalar(0.5).mul(NDArray.of(0.5, 1)).dtype());
        assertEquals(DType.FLOAT32, NDArray.scalar(0.5).mul(x).dtype());
        assertEquals(DType.FLOAT32, x.add(0.1).dtype());
        assertEquals(DType.FLOAT32, NDArray.where(NDArray.of(new boolean[] {true, false}, 2), x, NDArray.scalar(7)).dtype());
        assertArrayEquals(new float[] {1, 7}, NDArray.where(NDArray.of(new boolean[] {true, false}, 2), x, NDArray.scalar(7)).toFloatArray());
        assertEquals(DType.FLOAT64, NDArray.concat(0, x, NDArray.of(3)).dtype());
        assertArrayEquals(new double[] {1, 2, 3}, NDArray.concat(0, x, NDArray.of(3)).toArray());
    }

    @Test
    void readersReturnDoubles() {
        NDArray a = NDArray.of(new float[] {1.5f, (float) Math.PI}, 2);
        assertEquals((double) (float) Math.PI, a.get(1));
        assertEquals((double) (float) Math.PI, a.toArray()[1]);
        assertArrayEquals(new float[] {1.5f, (float) Math.PI}, a.toFloatArray());
        assertEquals(1.5, a.sum().item() - (double) (float) Math.PI, 1e-6);
        assertEquals(DType.FLOAT32, a.sum().dtype());
        assertEquals(1, a.argmax());
    }

    @Test
    void copiesAreIndependent() {
        NDArray a = NDArray.of(new float[] {1, 2}, 2);
        NDArray c = a.copy();
        c.setFlat(0, 5);
        assertEquals(1.0, a.getFlat(0));
        assertSame(a, a.astype(DType.FLOAT32));
        NDArray w = a.astype(DType.FLOAT64);
        w.setFlat(0, 5);
        assertEquals(1.0, a.getFlat(0));
    }
}
