package dev.nabla.ndarray.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors reader and writer: round trips, a byte-exact fixture from the spec, corrupt files, atomic writes. */
class SafetensorsTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ round trips

    @Test
    void roundTripIsBitwiseIncludingScalarsEmptyShapesAndSpecialValues() throws IOException {
        Map<String, NDArray> in = new LinkedHashMap<>();
        in.put("w", NDArray.randn(new Random(7), 3, 4));
        in.put("scalar", NDArray.scalar(-0.0));
        in.put("empty", NDArray.zeros(0));
        in.put("empty3d", NDArray.zeros(2, 0, 3));
        in.put("special", NDArray.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, -Double.MAX_VALUE, 1e-310));
        in.put("ünïcødé ключ 名前", NDArray.of(1, 2));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("quote\"back\\slash\nnewline\u0001", "välue \u2603 \"x\"");
        Path f = dir.resolve("rt.safetensors");
        Safetensors.save(f, in, meta);

        Map<String, NDArray> out = Safetensors.load(f);
        assertEquals(in.keySet(), out.keySet());
        for (String k : in.keySet()) {
            NDArray a = in.get(k);
            NDArray b = out.get(k);
            assertArrayEquals(a.shape(), b.shape(), k);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(Double.doubleToRawLongBits(a.getFlat(i)), Double.doubleToRawLongBits(b.getFlat(i)), k + "[" + i + "]");
            }
        }
        assertEquals(0, out.get("scalar").ndim());
        assertEquals(meta, Safetensors.loadMetadata(f));
        // sorted key order (UTF-8 byte order)
        assertEquals(List.of("empty", "empty3d", "scalar", "special", "w", "ünïcødé ключ 名前"), new ArrayList<>(out.keySet()));
        // the whole file is 8-byte aligned: padded header, then 8-byte elements
        assertEquals(0, Files.size(f) % 8);
    }

    @Test
    void emptyMapAndNoMetadataRoundTrip() throws IOException {
        Path f = dir.resolve("empty.safetensors");
        Safetensors.save(f, Map.of());
        assertTrue(Safetensors.load(f).isEmpty());
        assertTrue(Safetensors.loadMetadata(f).isEmpty());
        // "{}" padded to 8 bytes
        assertArrayEquals(concat(le64(8), ascii("{}      ")), Files.readAllBytes(f));
    }

    @Test
    void writerProducesExactlyTheSpecifiedBytes() throws IOException {
        Map<String, NDArray> in = new LinkedHashMap<>();
        in.put("b", NDArray.of(new double[] {1.0, -2.5}, 2, 1));
        in.put("a", NDArray.scalar(0.5));
        Path f = dir.resolve("exact.safetensors");
        Safetensors.save(f, in, Map.of("k", "v"));
        String json = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[2,1],\"data_offsets\":[8,24]}}";
        int pad = (8 - json.length() % 8) % 8;
        byte[] expected = concat(le64(json.length() + pad), ascii(json + " ".repeat(pad)),
                bytes(0, 0, 0, 0, 0, 0, 0xE0, 0x3F), // 0.5  = 0x3FE0000000000000
                bytes(0, 0, 0, 0, 0, 0, 0xF0, 0x3F), // 1.0  = 0x3FF0000000000000
                bytes(0, 0, 0, 0, 0, 0, 0x04, 0xC0)); // -2.5 = 0xC004000000000000
        assertArrayEquals(expected, Files.readAllBytes(f));
    }

    // ------------------------------------------------------------------ fixture written from the spec

    @Test
    void readsAHandBuiltFixture() throws IOException {
        // Header keys out of order, with spaces and newlines, offsets not in key order, an F32 tensor, metadata last.
        String json = "{ \"z\" : {\"dtype\":\"F64\", \"shape\":[2], \"data_offsets\":[0,16]},\n"
                + "  \"a\": {\"shape\": [1, 1], \"dtype\": \"F32\", \"data_offsets\": [16, 20]},\n"
                + "  \"__metadata__\": {\"format\": \"pt\", \"step\": \"3\"} }";
        byte[] header = ascii(json);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        long n = header.length;
        for (int i = 0; i < 8; i++) {
            file.write((int) (n >>> (8 * i)) & 0xFF); // little-endian u64 header length
        }
        file.write(header, 0, header.length);
        file.write(bytes(0, 0, 0, 0, 0, 0, 0xF0, 0x3F), 0, 8); // z[0] = 1.0
        file.write(bytes(0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0xB9, 0xBF), 0, 8); // z[1] = -0.1 = 0xBFB999999999999A
        file.write(bytes(0, 0, 0, 0x3F), 0, 4); // a = 0.5f = 0x3F000000
        Path f = dir.resolve("fixture.safetensors");
        Files.write(f, file.toByteArray());

        Map<String, NDArray> t = Safetensors.load(f);
        assertEquals(List.of("a", "z"), new ArrayList<>(t.keySet()));
        assertArrayEquals(new int[] {2}, t.get("z").shape());
        assertEquals(1.0, t.get("z").getFlat(0));
        assertEquals(-0.1, t.get("z").getFlat(1));
        assertArrayEquals(new int[] {1, 1}, t.get("a").shape());
        assertEquals(0.5, t.get("a").getFlat(0));
        assertEquals(DType.FLOAT64, t.get("z").dtype());
        assertEquals(DType.FLOAT32, t.get("a").dtype());
        assertEquals(Map.of("format", "pt", "step", "3"), Safetensors.loadMetadata(f));
    }

    @Test
    void float32LoadsAsFloat32BitForBit() throws IOException {
        float[] vals = {0.1f, -3.25f, Float.MAX_VALUE, Float.MIN_VALUE, Float.NEGATIVE_INFINITY, -0.0f, Float.NaN};
        ByteBuffer b = ByteBuffer.allocate(4 * vals.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vals) {
            b.putFloat(v);
        }
        Path f = write("f32", "{\"x\":{\"dtype\":\"F32\",\"shape\":[7],\"data_offsets\":[0,28]}}", b.array());
        NDArray x = Safetensors.load(f).get("x");
        assertEquals(DType.FLOAT32, x.dtype());
        float[] got = x.toFloatArray();
        for (int i = 0; i < vals.length; i++) {
            assertEquals(Float.floatToRawIntBits(vals[i]), Float.floatToRawIntBits(got[i]), "element " + i);
        }
    }

    @Test
    void writerProducesExactlyTheSpecifiedF32Bytes() throws IOException {
        Map<String, NDArray> in = new LinkedHashMap<>();
        in.put("w", NDArray.of(new float[] {1.0f, -2.5f, 0.1f}, 3));
        in.put("d", NDArray.scalar(0.5));
        Path f = dir.resolve("exact32.safetensors");
        Safetensors.save(f, in);
        String json = "{\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[8,20]}}";
        int pad = (8 - json.length() % 8) % 8;
        byte[] expected = concat(le64(json.length() + pad), ascii(json + " ".repeat(pad)),
                bytes(0, 0, 0, 0, 0, 0, 0xE0, 0x3F), // 0.5 as F64 = 0x3FE0000000000000
                bytes(0, 0, 0x80, 0x3F), // 1.0f  = 0x3F800000
                bytes(0, 0, 0x20, 0xC0), // -2.5f = 0xC0200000
                bytes(0xCD, 0xCC, 0xCC, 0x3D)); // 0.1f = 0x3DCCCCCD
        assertArrayEquals(expected, Files.readAllBytes(f));
        Map<String, NDArray> out = Safetensors.load(f);
        assertEquals(DType.FLOAT64, out.get("d").dtype());
        assertEquals(DType.FLOAT32, out.get("w").dtype());
        assertArrayEquals(new float[] {1.0f, -2.5f, 0.1f}, out.get("w").toFloatArray());
    }

    @Test
    void mixedDtypeRoundTripKeepsEachDtypeAndEveryBit() throws IOException {
        Map<String, NDArray> in = new LinkedHashMap<>();
        in.put("w64", NDArray.randn(new Random(3), 5, 3));
        in.put("w32", NDArray.randn(new Random(4), DType.FLOAT32, 4, 2, 3));
        in.put("s32", NDArray.scalar(DType.FLOAT32, -0.0));
        in.put("e32", NDArray.zeros(DType.FLOAT32, 0, 2));
        in.put("odd32", NDArray.of(new float[] {Float.MIN_VALUE, Float.POSITIVE_INFINITY, 3e38f}, 3));
        Path f = dir.resolve("mixed.safetensors");
        Safetensors.save(f, in);
        Map<String, NDArray> out = Safetensors.load(f);
        for (String k : in.keySet()) {
            NDArray a = in.get(k);
            NDArray b = out.get(k);
            assertEquals(a.dtype(), b.dtype(), k);
            assertArrayEquals(a.shape(), b.shape(), k);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(Double.doubleToRawLongBits(a.getFlat(i)), Double.doubleToRawLongBits(b.getFlat(i)), k + "[" + i + "]");
            }
        }
        // 15*8 + 24*4 + 4 + 0 + 3*4 data bytes after the padded header
        long header = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(8 + header + 15 * 8 + 24 * 4 + 4 + 3 * 4, Files.size(f));
    }

    // ------------------------------------------------------------------ truncation and corrupt header length

    @Test
    void truncatedFilesAreRejectedAtEveryCut() throws IOException {
        Map<String, NDArray> in = new LinkedHashMap<>();
        in.put("a", NDArray.arange(10));
        in.put("b", NDArray.ones(3, 3));
        Path good = dir.resolve("good.safetensors");
        Safetensors.save(good, in);
        byte[] all = Files.readAllBytes(good);
        long headerLen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int dataStart = (int) (8 + headerLen);
        int[] cuts = {0, 1, 7, 8, 9, dataStart / 2, dataStart - 1, dataStart, dataStart + 1, dataStart + 80, all.length - 8, all.length - 1};
        for (int cut : cuts) {
            Path f = dir.resolve("cut" + cut + ".safetensors");
            Files.write(f, Arrays.copyOf(all, cut));
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.load(f), "cut at " + cut);
            String m = e.getMessage();
            assertTrue(m.contains(f.toString()), m);
            if (cut < 8) {
                assertTrue(m.contains("too short to hold the 8-byte header length"), m);
            } else if (cut < dataStart) {
                assertTrue(m.contains("header length " + headerLen + " exceeds"), m);
            } else {
                // data section too short: some tensor runs past its end
                assertTrue(m.contains("run past the end of the " + (cut - dataStart) + "-byte data section"), m);
                assertTrue(m.contains("tensor 'b'") || m.contains("tensor 'a'"), m);
            }
        }
    }

    @Test
    void corruptHeaderLengthsAreRejected() throws IOException {
        Path good = dir.resolve("g.safetensors");
        Safetensors.save(good, Map.of("x", NDArray.of(1, 2, 3)));
        byte[] all = Files.readAllBytes(good);
        long realLen = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();

        assertLoadFails(withLength(all, -1L), "header length 18446744073709551615 is over the 100000000-byte limit");
        assertLoadFails(withLength(all, 1L << 40), "is over the 100000000-byte limit");
        assertLoadFails(withLength(all, all.length), "exceeds the " + (all.length - 8) + " bytes that follow it");
        assertLoadFails(withLength(all, 0), "too small to hold a JSON object");
        // too short: the JSON is cut off
        assertLoadFails(withLength(all, realLen - 8), "not well-formed JSON");
        // too long by 8: the JSON is followed by data bytes, which are not whitespace or not UTF-8
        assertLoadFails(withLength(all, realLen + 8), "header is not valid UTF-8");
    }

    // ------------------------------------------------------------------ bad JSON and bad entries

    @Test
    void malformedJsonIsRejectedWithThePosition() throws IOException {
        byte[] d8 = new byte[8];
        String[][] cases = {
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}", "not well-formed JSON: expected ',' or '}' but found end of input"},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8],}}", "expected a string key"},
            {"{'x':{}}", "expected a string key but found '''"},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}} junk", "after the end of the JSON value"},
            {"{\"x\":{\"dtype\":\"F64\",\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "duplicate key \"dtype\""},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[01],\"data_offsets\":[0,8]}}", "expected ',' or ']'"},
            {"[1,2]", "does not start with '{'"},
        };
        for (String[] c : cases) {
            assertLoadFails(rawFile(c[0], d8), c[1]);
        }
        byte[] notUtf8 = concat(le64(8), bytes('{', '"', 0xC3, 0x28, '"', ':', '1', '}'));
        assertLoadFails(notUtf8, "not valid UTF-8");
    }

    @Test
    void badEntriesNameTheTensorAndTheProblem() throws IOException {
        byte[] d8 = new byte[8];
        Object[][] cases = {
            {"{\"x\":[1]}", "tensor 'x': the header entry must be a JSON object"},
            {"{\"x\":{\"shape\":[1],\"data_offsets\":[0,8]}}", "tensor 'x': missing \"dtype\""},
            {"{\"x\":{\"dtype\":\"F64\",\"data_offsets\":[0,8]}}", "tensor 'x': missing \"shape\""},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[1]}}", "tensor 'x': missing \"data_offsets\""},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[-1],\"data_offsets\":[0,8]}}", "\"shape\" entry 0 is -1, not a non-negative integer"},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[1.5],\"data_offsets\":[0,8]}}", "\"shape\" entry 0 is 1.5"},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":\"1\",\"data_offsets\":[0,8]}}", "\"shape\" must be an array"},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8,16]}}", "must be [begin, end] but has 3 entries"},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,0]}}", "end before they begin"},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", "shape [2] of F64 needs 16 bytes but data_offsets [0, 8] span 8 bytes"},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8],\"extra\":1}}", "unexpected field \"extra\""},
            {"{\"x\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "tensor 'x': dtype U64 is not supported: Nabla reads F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL"},
            {"{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", "dtype F8_E4M3 is not supported"},
            {"{\"x\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,8]}}", "unknown dtype \"Q7\""},
            {"{\"x\":{\"dtype\":64,\"shape\":[1],\"data_offsets\":[0,8]}}", "\"dtype\" must be a string but is the number 64"},
            {"{\"__metadata__\":{\"k\":1},\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "metadata entry \"k\" must be a string"},
            {"{\"__metadata__\":[],\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "\"__metadata__\" must be a JSON object"},
            {"{\"x\":{\"dtype\":\"F64\",\"shape\":[4294967296,0],\"data_offsets\":[0,0]}}", "too large for an NDArray"},
        };
        for (Object[] c : cases) {
            assertLoadFails(rawFile((String) c[0], d8), (String) c[1]);
        }
    }

    @Test
    void offsetsMustBeInBoundsDisjointAndCoverTheDataExactly() throws IOException {
        String t = "\"%s\":{\"dtype\":\"F64\",\"shape\":[%d],\"data_offsets\":[%d,%d]}";
        // out of bounds
        assertLoadFails(rawFile("{" + String.format(t, "a", 2, 8, 24) + "}", new byte[16]),
                "tensor 'a': data_offsets [8, 24] run past the end of the 16-byte data section");
        // overlap
        assertLoadFails(rawFile("{" + String.format(t, "a", 2, 0, 16) + "," + String.format(t, "b", 1, 8, 16) + "}", new byte[16]),
                "tensor 'b': data_offsets [8, 16] overlap tensor 'a' at [0, 16]");
        // gap at the start
        assertLoadFails(rawFile("{" + String.format(t, "a", 1, 8, 16) + "}", new byte[16]),
                "tensor 'a': data_offsets [8, 16] leave a gap of 8 bytes after the start of the data section");
        // gap between tensors
        assertLoadFails(rawFile("{" + String.format(t, "a", 1, 0, 8) + "," + String.format(t, "b", 1, 16, 24) + "}", new byte[24]),
                "leave a gap of 8 bytes after tensor 'a'");
        // trailing bytes
        assertLoadFails(rawFile("{" + String.format(t, "a", 1, 0, 8) + "}", new byte[16]),
                "the tensors cover 8 bytes but the data section has 16");
        // two empty tensors at the same offset next to a full one are fine
        Path ok = write("ok", "{" + String.format(t, "e1", 0, 0, 0) + "," + String.format(t, "e2", 0, 0, 0) + ","
                + String.format(t, "a", 1, 0, 8) + "}", new byte[8]);
        assertEquals(3, Safetensors.load(ok).size());
    }

    @Test
    void memoryFollowsTheFileNotTheTensorCount() throws IOException {
        // 3000 empty tensors: each used to get its own 64 KiB read buffer (196 MB for a 200 KB file)
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; i < 3000; i++) {
            h.append(String.format("\"e%04d\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[0,0]},", i));
        }
        h.append("\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}");
        Path f = write("many", h.toString(), new byte[8]);
        Safetensors.load(f); // warm up class loading
        long before = Mutations.allocatedBytes();
        Map<String, NDArray> m = Safetensors.load(f);
        long allocated = Mutations.allocatedBytes() - before;
        assertEquals(3001, m.size());
        assertTrue(allocated < Mutations.allowance(Files.size(f)), allocated + " bytes allocated to load a "
                + Files.size(f) + "-byte file");
    }

    @Test
    void aZeroDimensionMakesAnyShapeEmptyAndLoneSurrogatesAreRefused() throws IOException {
        // the product of the first two dimensions is over 2^31, but the zero makes the tensor empty
        Path f = write("zero", "{\"z\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,0],\"data_offsets\":[0,0]}}",
                new byte[0]);
        NDArray z = Safetensors.load(f).get("z");
        assertEquals(0, z.size());
        assertArrayEquals(new int[] {2147483647, 2147483647, 0}, z.shape());
        // a \ud800 escape is valid JSON syntax but not Unicode: a name that could never be saved back
        assertLoadFails(rawFile("{\"a\\ud800\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]),
                "the tensor name 'a...' holds an unpaired surrogate (\\uD800) at character 1, which is not Unicode");
        assertLoadFails(rawFile("{\"__metadata__\":{\"k\":\"\\udc00\"}}", new byte[0]),
                "the metadata value of \"k\" '...' holds an unpaired surrogate (\\uDC00) at character 0");
        // two tensors of one name: the second would silently replace the first
        assertLoadFails(rawFile("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", new byte[16]), "duplicate key \"a\"");
        // a proper pair written as two escapes is one character
        Path pair = write("pair", "{\"\\ud83d\\ude00\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                new byte[8]);
        assertTrue(Safetensors.load(pair).containsKey("\ud83d\ude00"));
    }

    // ------------------------------------------------------------------ save-side validation and atomicity

    @Test
    void saveRejectsReservedAndNullNames() {
        Path f = dir.resolve("x.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(f, Map.of("__metadata__", NDArray.of(1))));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        Map<String, NDArray> withNull = new LinkedHashMap<>();
        withNull.put("w", null);
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(f, withNull));
        assertTrue(e.getMessage().contains("tensor 'w' is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(f, Map.of("bad\uD800", NDArray.of(1))));
        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
        IOException io = assertThrows(IOException.class, () -> Safetensors.save(dir.resolve("missing/x.safetensors"), Map.of()));
        assertTrue(io.getMessage().contains("does not exist"), io.getMessage());
        io = assertThrows(IOException.class, () -> Safetensors.save(dir, Map.of()));
        assertTrue(io.getMessage().contains("is a directory"), io.getMessage());
    }

    @Test
    void overwriteReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.save(f, Map.of("a", NDArray.of(1, 2)));
        Safetensors.save(f, Map.of("b", NDArray.of(3)));
        assertEquals(Set.of("b"), Safetensors.load(f).keySet());
        assertEquals(List.of("m.safetensors"), listDir());
    }

    @Test
    void aMapThatThrowsWhileIteratedLeavesTheOldFileIntact() throws IOException {
        Path f = dir.resolve("model.safetensors");
        Safetensors.save(f, Map.of("w", NDArray.of(1, 2, 3)));
        byte[] before = Files.readAllBytes(f);
        Map<String, NDArray> exploding = new AbstractMap<>() {
            @Override
            public Set<Entry<String, NDArray>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, NDArray>> iterator() {
                        Iterator<Entry<String, NDArray>> inner = Map.of("a", NDArray.of(1), "b", NDArray.of(2)).entrySet().iterator();
                        return new Iterator<>() {
                            int n;

                            @Override
                            public boolean hasNext() {
                                return true;
                            }

                            @Override
                            public Entry<String, NDArray> next() {
                                if (n++ == 1) {
                                    throw new IllegalStateException("boom while iterating");
                                }
                                return inner.next();
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return 2;
                    }
                };
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Safetensors.save(f, exploding));
        assertEquals("boom while iterating", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(List.of("model.safetensors"), listDir());
    }

    @Test
    void aFailureMidWriteLeavesTheOldFileIntactAndRemovesTheTemporaryFile() throws IOException {
        Path f = dir.resolve("model.safetensors");
        Safetensors.save(f, Map.of("w", NDArray.of(1, 2, 3)));
        byte[] before = Files.readAllBytes(f);
        Map<String, NDArray> big = Map.of("big", NDArray.randn(new Random(1), 100, 300)); // 240 kB: several chunks
        long[] seen = {0};
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Safetensors.save(f, big, null, written -> {
            seen[0] = written;
            // the temporary file exists beside the target while it is being written
            try {
                List<String> names = listDir();
                assertEquals(2, names.size(), names.toString());
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new UncheckedIOException(new IOException("disk full (simulated) after " + written + " bytes"));
        }));
        assertTrue(e.getMessage().contains("disk full"));
        assertTrue(seen[0] > 0 && seen[0] < 8 * 100 * 300, "failed part-way: " + seen[0]);
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(List.of("model.safetensors"), listDir());
        // and a later save of the same map succeeds
        Safetensors.save(f, big);
        assertTrue(Safetensors.load(f).get("big").equals(big.get("big")));
    }

    // ------------------------------------------------------------------ helpers

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private int fileCounter;

    private void assertLoadFails(byte[] content, String expected) throws IOException {
        Path f = dir.resolve("bad" + (fileCounter++) + ".safetensors");
        Files.write(f, content);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.load(f), expected);
        assertTrue(e.getMessage().contains(expected), "expected <" + expected + "> in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("Safetensors.load: file '" + f + "'"), e.getMessage());
    }

    private Path write(String name, String json, byte[] data) throws IOException {
        Path f = dir.resolve(name + ".safetensors");
        Files.write(f, rawFile(json, data));
        return f;
    }

    /** A file with {@code json} as the header (padded with spaces to 8 bytes) followed by {@code data}. */
    private static byte[] rawFile(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        int pad = (8 - h.length % 8) % 8;
        return concat(le64(h.length + pad), h, ascii(" ".repeat(pad)), data);
    }

    private static byte[] withLength(byte[] file, long n) {
        byte[] out = file.clone();
        System.arraycopy(le64(n), 0, out, 0, 8);
        return out;
    }

    private static byte[] le64(long n) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.write(p, 0, p.length);
        }
        return o.toByteArray();
    }
}
