package dev.nabla.ndarray.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random tensor maps (float64 and float32) survive a save/load round trip bit for bit and dtype
 * for dtype, and any single-byte cut of the file is rejected.
 */
class SafetensorsPropertiesTest {

    @Provide
    Arbitrary<NDArray> arrays() {
        Arbitrary<int[]> shapes = Arbitraries.integers().between(0, 4).list().ofMinSize(0).ofMaxSize(3)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        Arbitrary<Double> values = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.doubles().between(-1e6, 1e6)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        -0.0, Double.MIN_VALUE, Double.MAX_VALUE)));
        return shapes.flatMap(shape -> {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            Arbitrary<NDArray> f64 = values.list().ofSize(n)
                    .map(v -> NDArray.of(v.stream().mapToDouble(Double::doubleValue).toArray(), shape));
            // a third of the arrays are float32 (the same draws rounded), written as F32
            return Arbitraries.integers().between(0, 2).flatMap(k -> k == 0 ? f64.map(a -> a.astype(DType.FLOAT32)) : f64);
        });
    }

    @Provide
    Arbitrary<Map<String, NDArray>> tensorMaps() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('.', '_', 'é', '名').ofMinLength(1).ofMaxLength(8);
        return Arbitraries.maps(names, arrays()).ofMinSize(0).ofMaxSize(5);
    }

    @Provide
    Arbitrary<Map<String, String>> metadata() {
        Arbitrary<String> s = Arbitraries.strings().all().ofMaxLength(10)
                .filter(x -> x.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
        return Arbitraries.maps(s, s).ofMaxSize(3);
    }

    @Property(tries = 40)
    void roundTripIsBitwise(@ForAll("tensorMaps") Map<String, NDArray> tensors, @ForAll("metadata") Map<String, String> meta)
            throws IOException {
        Path dir = Files.createTempDirectory("st-prop");
        try {
            Path f = dir.resolve("p.safetensors");
            Safetensors.save(f, tensors, meta);
            Map<String, NDArray> back = Safetensors.load(f);
            assertEquals(tensors.keySet(), back.keySet());
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                NDArray a = e.getValue();
                NDArray b = back.get(e.getKey());
                assertArrayEquals(a.shape(), b.shape());
                assertEquals(a.dtype(), b.dtype());
                for (int i = 0; i < a.size(); i++) {
                    assertEquals(Double.doubleToRawLongBits(a.getFlat(i)), Double.doubleToRawLongBits(b.getFlat(i)));
                }
            }
            assertEquals(meta, Safetensors.loadMetadata(f));

            // every proper prefix of the file is rejected as malformed (never read as a smaller valid file)
            byte[] all = Files.readAllBytes(f);
            Path cut = dir.resolve("cut.safetensors");
            for (int len : List.of(0, all.length / 3, all.length / 2, all.length - 1)) {
                Files.write(cut, java.util.Arrays.copyOf(all, len));
                try {
                    Safetensors.load(cut);
                    throw new AssertionError("a " + len + "-byte prefix of a " + all.length + "-byte file loaded");
                } catch (SafetensorsException expected) {
                    // ok
                }
            }
        } finally {
            try (var s = Files.list(dir)) {
                s.forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            Files.delete(dir);
        }
    }
}
