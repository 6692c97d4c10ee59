package dev.nabla.ndarray.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every safetensors dtype Nabla has, against a file PyTorch wrote ({@code dtypes.safetensors},
 * see the README beside it): dtypes, shapes and values as PyTorch stored them, and a load then
 * save gives the very same bytes (header order, formatting, padding and data).
 */
class SafetensorsDtypesTest {

    @TempDir
    Path dir;

    private Path fixture() throws IOException {
        Path p = dir.resolve("dtypes.safetensors");
        try (InputStream in = SafetensorsDtypesTest.class.getResourceAsStream("/dev/nabla/ndarray/io/dtypes.safetensors")) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void pytorchFileLoadsWithEveryDtypeShapeAndValue() throws IOException {
        Path file = fixture();
        Map<String, NDArray> t = Safetensors.load(file);
        assertEquals(List.of("bf16", "bool", "f16", "f32", "f64", "i16", "i32", "i64", "i8", "scalar", "u8"),
                List.copyOf(t.keySet()));
        String[][] dtypes = {{"bf16", "BFLOAT16"}, {"bool", "BOOL"}, {"f16", "FLOAT16"}, {"f32", "FLOAT32"},
            {"f64", "FLOAT64"}, {"i16", "INT16"}, {"i32", "INT32"}, {"i64", "INT64"}, {"i8", "INT8"},
            {"scalar", "FLOAT64"}, {"u8", "UINT8"}};
        for (String[] d : dtypes) {
            assertEquals(DType.valueOf(d[1]), t.get(d[0]).dtype(), d[0]);
        }
        NDArray f64 = t.get("f64");
        assertArrayEquals(new int[] {3, 4}, f64.shape());
        assertEquals(1.5409961082440433, f64.get(0, 0));
        assertEquals(0.18203648506130554, f64.get(2, 3));
        assertArrayEquals(new long[] {-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6}, t.get("i64").toLongArray());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, t.get("i32").toIntArray());
        assertArrayEquals(new int[] {3, 4}, t.get("i32").shape());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, t.get("i16").toLongArray());
        assertArrayEquals(new long[] {-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5}, t.get("i8").toLongArray());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, t.get("u8").toLongArray());
        assertArrayEquals(new int[] {12}, t.get("u8").shape());
        // the narrower floats are the float64 tensor rounded, bit for bit (PyTorch's rounding = Nabla's astype)
        assertArrayEquals(f64.toFloatArray(), t.get("f32").toFloatArray());
        assertArrayEquals(f64.astype(DType.FLOAT16).toRawShorts(), t.get("f16").toRawShorts());
        assertArrayEquals(f64.astype(DType.BFLOAT16).toRawShorts(), t.get("bf16").toRawShorts());
        assertEquals((short) 0x3E2A, t.get("f16").toRawShorts()[0], "1.541 as float16");
        assertEquals((short) 0x3FC5, t.get("bf16").toRawShorts()[0], "1.541 as bfloat16");
        assertEquals(f64.gt(0.0), t.get("bool"));
        assertEquals(DType.BOOL, t.get("bool").dtype());
        NDArray s = t.get("scalar");
        assertEquals(0, s.ndim());
        assertEquals(2.5, s.item());
        assertEquals(Map.of("note", "f16/bf16 hold the f64 values rounded; bool is f64 > 0"), Safetensors.loadMetadata(file));
    }

    @Test
    void loadThenSaveGivesPyTorchsBytes() throws IOException {
        Path in = fixture();
        Path out = dir.resolve("out.safetensors");
        Safetensors.save(out, Safetensors.load(in), Safetensors.loadMetadata(in));
        byte[] a = Files.readAllBytes(in);
        byte[] b = Files.readAllBytes(out);
        assertEquals(new String(a, 8, 752, StandardCharsets.UTF_8), new String(b, 8, Math.min(752, b.length - 8), StandardCharsets.UTF_8),
                "header");
        assertArrayEquals(a, b, "the whole file, byte for byte");
    }

    @Test
    void everyDtypeRoundTripsBitForBitIncludingZeroDimAndEmpty() throws IOException {
        long big = (1L << 53) + 1;
        Map<String, NDArray> m = new LinkedHashMap<>();
        m.put("i64", NDArray.of(new long[] {Long.MIN_VALUE, big, Long.MAX_VALUE}, 3));
        m.put("i64_0d", NDArray.scalarLong(-big));
        m.put("i32", NDArray.of(new int[] {Integer.MIN_VALUE, -1, Integer.MAX_VALUE}, 1, 3));
        m.put("i16", NDArray.of(new long[] {-32768, 32767}, 2).astype(DType.INT16));
        m.put("i8", NDArray.ofRawBytes(DType.INT8, new byte[] {-128, 127}, 2));
        m.put("u8", NDArray.ofRawBytes(DType.UINT8, new byte[] {(byte) 255, 0}, 2));
        m.put("f16", NDArray.ofRawShorts(DType.FLOAT16, new short[] {0x7E01, (short) 0xFC00, 0x0001}, 3)); // a NaN payload kept
        m.put("bf16", NDArray.ofRawShorts(DType.BFLOAT16, new short[] {0x7FC1, 0x3F80}, 2));
        m.put("bool", NDArray.of(new boolean[] {true, false, true}, 3));
        m.put("bool_0d", NDArray.of(new boolean[] {true}));
        m.put("empty_i64", NDArray.zeros(DType.INT64, 0, 2));
        m.put("f32", NDArray.of(new float[] {Float.NaN, -0f}, 2));
        m.put("f64_0d", NDArray.scalar(-0.0));
        Path p = dir.resolve("all.safetensors");
        Safetensors.save(p, m);
        Map<String, NDArray> back = Safetensors.load(p);
        assertEquals(m.keySet(), back.keySet());
        for (Map.Entry<String, NDArray> e : m.entrySet()) {
            NDArray a = e.getValue();
            NDArray b = back.get(e.getKey());
            assertEquals(a.dtype(), b.dtype(), e.getKey());
            assertArrayEquals(a.shape(), b.shape(), e.getKey());
            assertArrayEquals(bits(a), bits(b), e.getKey());
        }
        assertEquals(big, back.get("i64").getLong(1));
        assertEquals(-big, back.get("i64_0d").itemLong());
    }

    /** The raw little-endian bytes of an array, for bit-exact comparison. */
    private static byte[] bits(NDArray a) {
        int n = a.size();
        ByteBuffer b = ByteBuffer.allocate(n * a.dtype().itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (a.dtype()) {
            case FLOAT64: for (int i = 0; i < n; i++) { b.putLong(Double.doubleToRawLongBits(a.getFlat(i))); } break;
            case FLOAT32: for (float f : a.toFloatArray()) { b.putInt(Float.floatToRawIntBits(f)); } break;
            case FLOAT16: case BFLOAT16: case INT16: for (short s : a.toRawShorts()) { b.putShort(s); } break;
            case INT8: case UINT8: case BOOL: b.put(a.toRawBytes()); break;
            case INT32: for (int v : a.toIntArray()) { b.putInt(v); } break;
            default: for (long l : a.toLongArray()) { b.putLong(l); }
        }
        return b.array();
    }

    @Test
    void boolBytesOtherThanZeroOrOneAreRefused() throws IOException {
        Path p = dir.resolve("b.safetensors");
        Safetensors.save(p, Map.of("mask", NDArray.of(new boolean[] {true, false, true}, 3)));
        byte[] f = Files.readAllBytes(p);
        f[f.length - 2] = 2; // the second element
        Files.write(p, f);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.load(p));
        assertTrue(e.getMessage().contains("tensor 'mask': BOOL element 1 is the byte 2, but a bool must be stored as 0 or 1"),
                e.getMessage());
    }
}
