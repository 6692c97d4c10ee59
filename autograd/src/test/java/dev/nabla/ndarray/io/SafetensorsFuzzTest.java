package dev.nabla.ndarray.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing {@link Safetensors#load} and {@link Safetensors#loadMetadata}: a small valid file (two
 * dtypes, a scalar, an empty tensor, metadata) with random mutations ({@link Mutations}: bit flips,
 * truncation at any offset, insertions, JSON tokens, the 8-byte header length overwritten with huge or
 * negative values). Contract: the reader returns or throws {@link SafetensorsException} (with the
 * file named) and nothing else (no OOM, NPE, AIOOBE, NumberFormatException, ...), and one read
 * allocates at most 64 x the file size + 1 MiB, so nothing is allocated from a claimed size.
 * The seed is fixed so that {@code verify} is reproducible; drop it to explore further.
 */
class SafetensorsFuzzTest {
    private static Path dir;
    private static Path file;
    private static byte[] seed;

    @BeforeContainer
    static void seedFile() throws IOException {
        dir = Files.createTempDirectory("safetensors-fuzz");
        file = dir.resolve("fuzz.safetensors");
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("w", NDArray.of(new double[] {1, -2, 3.5, Double.NaN, 0, 6}, 2, 3));
        t.put("f", NDArray.of(new double[] {1, 2, 3, 4}, 4).astype(dev.nabla.ndarray.DType.FLOAT32));
        t.put("s", NDArray.scalar(7));
        t.put("e", NDArray.of(new double[0], 0, 3));
        Path p = dir.resolve("seed.safetensors");
        Safetensors.save(p, t, Map.of("epoch", "3", "note", "caf\u00e9 \"quoted\""));
        seed = Files.readAllBytes(p);
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 400, seed = "20261202")
    void mutatedFilesLoadOrFailWithSafetensorsException(@ForAll long rng) throws IOException {
        byte[] bytes = Mutations.mutate(seed, rng, 0, 1, 2, 3, 4);
        Files.write(file, bytes);
        long before = Mutations.allocatedBytes();
        try {
            Map<String, NDArray> m = Safetensors.load(file);
            assertTrue(m.size() <= bytes.length, "more tensors than bytes");
        } catch (SafetensorsException e) {
            assertTrue(e.getMessage().startsWith("Safetensors.load: file '" + file + "'"), e.getMessage());
        }
        try {
            Safetensors.loadMetadata(file);
        } catch (SafetensorsException e) {
            assertTrue(e.getMessage().startsWith("Safetensors.load: file '" + file + "'"), e.getMessage());
        }
        long allocated = Mutations.allocatedBytes() - before;
        assertTrue(allocated <= Mutations.allowance(bytes.length), allocated + " bytes allocated by reading a "
                + bytes.length + "-byte file");
    }
}
