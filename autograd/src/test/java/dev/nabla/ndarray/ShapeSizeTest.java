package dev.nabla.ndarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Element counts never wrap around: every shape product is checked against the Java array limit (issue 12). */
class ShapeSizeTest {

    @Test
    void zerosOfAHugeShapeIsRefusedInsteadOfWrappingToZero() {
        // 65536^4 = 2^64 wrapped to 0 in a long: an "array" of size 0 and sum 0
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(65536, 65536, 65536, 65536));
        assertTrue(e.getMessage().startsWith("zeros: shape [65536, 65536, 65536, 65536] has 1.8e19 elements; "
                + "a Nabla array holds at most 2147483647"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Shapes.size(new int[] {65536, 32768}));
        assertTrue(e.getMessage().startsWith("shape [65536, 32768] has 2147483648 elements"), e.getMessage());
        assertEquals(Integer.MAX_VALUE, Shapes.size(new int[] {Integer.MAX_VALUE}));
        assertEquals(0, Shapes.size(new int[] {65536, 65536, 65536, 0}), "a zero dimension makes any shape empty");
        assertEquals(1, Shapes.size(new int[0]));
    }

    @Test
    void negativeDimensionsAreRefused() {
        // {2, -3} used to have size -6
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shapes.size(new int[] {2, -3}));
        assertEquals("shape [2, -3] has a negative dimension -3 at index 1; every dimension must be >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(-1, -1));
        assertTrue(e.getMessage().startsWith("zeros: shape [-1, -1] has a negative dimension -1 at index 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.eye(-2));
        assertTrue(e.getMessage().startsWith("eye: shape [-2, -2] has a negative dimension"), e.getMessage());
    }

    @Test
    void matmulOutputAndEyeAreCheckedNotWrapped() {
        // (65536, 1) @ (1, 65536) has 2^32 elements, which wrapped to an output buffer of length 0
        NDArray a = NDArray.zeros(65536, 1);
        NDArray b = NDArray.zeros(1, 65536);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().startsWith("matmul: shape [65536, 65536] has 4294967296 elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b.astype(DType.FLOAT32).astype(DType.FLOAT64)));
        assertTrue(e.getMessage().contains("4294967296 elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.astype(DType.FLOAT32).matmul(b.astype(DType.FLOAT32)));
        assertTrue(e.getMessage().startsWith("matmul: shape [65536, 65536]"), e.getMessage());
        // eye(65536) wrapped to a buffer of length 0 and failed with ArrayIndexOutOfBounds
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.eye(65536));
        assertTrue(e.getMessage().startsWith("eye: shape [65536, 65536] has 4294967296 elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.arange(0, 1e12, 1));
        assertTrue(e.getMessage().startsWith("arange:") && e.getMessage().contains("2147483647"), e.getMessage());
    }

    @Test
    void broadcastConcatReshapeAndStridesDoNotWrap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shapes.broadcast("add", new int[] {65536, 1}, new int[] {1, 65536}));
        assertTrue(e.getMessage().startsWith("add: shape [65536, 65536] has 4294967296 elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(1).broadcastTo(65536, 65536));
        assertTrue(e.getMessage().startsWith("broadcastTo: shape [65536, 65536]"), e.getMessage());
        // three empty (0, 2^30) arrays along axis 1: the axis length 3·2^30 wrapped to a negative size
        NDArray empty = NDArray.zeros(0, 1 << 30);
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.concat(1, empty, empty, empty));
        assertTrue(e.getMessage().startsWith("concat: the result would have size 3221225472 along dimension 1"),
                e.getMessage());
        // an empty array reshaped with an inferred axis: the known product 2^32 wrapped to 0
        NDArray r = NDArray.zeros(0).reshape(-1, 65536, 65536);
        assertArrayEquals(new int[] {0, 65536, 65536}, r.shape());
        assertArrayEquals(new int[] {Integer.MAX_VALUE, 65536, 1}, Shapes.strides(r.shape()));
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(6).reshape(-1, 641, 6700417));
        assertTrue(e.getMessage().contains("is invalid for input of size 6"), e.getMessage());
    }
}
