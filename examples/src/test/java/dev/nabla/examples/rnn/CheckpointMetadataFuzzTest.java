package dev.nabla.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.CharCorpus;
import dev.nabla.train.Checkpoints;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Mutations;
import dev.nabla.ndarray.io.Safetensors;
import dev.nabla.ndarray.io.SafetensorsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing the loading of training checkpoints ({@link CharLstmExample#load} as {@code nabla generate}
 * and {@code eval} use it, {@link Checkpoints#load}, and {@code --resume} of char-lstm): a checkpoint
 * of a tiny trained model, damaged either byte by byte ({@link Mutations}) or semantically (metadata
 * values replaced by huge, negative, fractional, non-numeric or empty text, keys removed, tensors
 * removed or replaced by arrays of other shapes, trainer numbers set to NaN or huge). Contract: a
 * load returns a usable model or throws {@link SafetensorsException} (a malformed file) or
 * {@link IllegalArgumentException} with a message (a file that is well-formed but is not a consistent
 * checkpoint); nothing else (no NPE, NumberFormatException, AIOOBE, OOM), and loading allocates at
 * most 64 x the file size + 1 MiB (so no model is built from a size the tensors do not confirm).
 * Seeds are fixed so that {@code verify} is reproducible.
 */
class CheckpointMetadataFuzzTest {
    private static final List<String> VALUES = List.of("", "-1", "0", "1", "3", "2147483647", "2147483648", "1000000",
            "NaN", "Infinity", "-Infinity", "1e999", "8.5", " 8", "abc", "\u0000", "4", "32", "8");
    private static final int[] DIMS = {0, 1, 2, 3, 4, 8, 32};
    private static Path trained;
    private static byte[] seedBytes;
    private static Map<String, NDArray> seedTensors;
    private static Map<String, String> seedMeta;

    @BeforeContainer
    static void train() throws IOException {
        trained = Files.createTempDirectory("checkpoint-fuzz");
        new CharLstmExample().train(RnnRunsForTests.run("char-lstm", 1, 4, 0.01, 0, trained.resolve("run")).ctx(),
                CheckpointMetadataTest.TEXT, CheckpointMetadataTest.TINY);
        Path last = trained.resolve("run").resolve(Checkpoints.LAST);
        seedBytes = Files.readAllBytes(last);
        seedTensors = Safetensors.load(last);
        seedMeta = Safetensors.loadMetadata(last);
    }

    /** The seed checkpoint with 1 to 3 semantic edits drawn from {@code rng}, written to {@code file}. */
    private static void damage(Path file, long rng) throws IOException {
        Random r = new Random(rng);
        Map<String, NDArray> t = new LinkedHashMap<>(seedTensors);
        Map<String, String> m = new LinkedHashMap<>(seedMeta);
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            List<String> metaKeys = new ArrayList<>(m.keySet());
            List<String> tensorKeys = new ArrayList<>(t.keySet());
            switch (r.nextInt(5)) {
                case 0:
                case 1:
                    if (!metaKeys.isEmpty()) {
                        m.put(metaKeys.get(r.nextInt(metaKeys.size())), VALUES.get(r.nextInt(VALUES.size())));
                    }
                    break;
                case 2:
                    if (!metaKeys.isEmpty()) {
                        m.remove(metaKeys.get(r.nextInt(metaKeys.size())));
                    }
                    break;
                case 3:
                    if (!tensorKeys.isEmpty()) {
                        t.remove(tensorKeys.get(r.nextInt(tensorKeys.size())));
                    }
                    break;
                default: {
                    if (tensorKeys.isEmpty()) {
                        break;
                    }
                    int[] shape = new int[r.nextInt(4)];
                    int size = 1;
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = DIMS[r.nextInt(DIMS.length)];
                        size *= shape[i];
                    }
                    double[] v = new double[size];
                    for (int i = 0; i < size; i++) {
                        v[i] = r.nextInt(4) == 0 ? Double.NaN : r.nextInt(4) == 0 ? 1e300 : r.nextInt(9) - 1;
                    }
                    t.put(tensorKeys.get(r.nextInt(tensorKeys.size())), NDArray.of(v, shape));
                }
            }
        }
        Files.createDirectories(file.getParent());
        Safetensors.save(file, t, m);
    }

    private static void expected(Exception e) throws Exception {
        if (e instanceof SafetensorsException || e instanceof IllegalArgumentException) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), e.toString());
            return;
        }
        throw e;
    }

    /** Loads as generate and eval do; returns normally or fails only as documented, within the memory bound. */
    private static void load(Path file) throws Exception {
        long bytes = Files.size(file);
        long before = Mutations.allocatedBytes();
        CharLstmExample.Loaded l = null;
        try {
            l = CharLstmExample.load(file, "fuzz");
        } catch (Exception e) {
            expected(e);
        }
        try {
            Checkpoints.load(file).epoch();
        } catch (Exception e) {
            expected(e);
        }
        long allocated = Mutations.allocatedBytes() - before;
        assertTrue(allocated <= 2 * Mutations.allowance(bytes), allocated + " bytes allocated by two loads of a "
                + bytes + "-byte checkpoint");
        if (l != null) {
            String prime = l.vocabulary().decode(0);
            try {
                assertTrue(l.generate(prime, 5, l.settings().sampleTemperature(), 1).codePointCount(0, 5) >= 0);
            } catch (IllegalArgumentException e) {
                expected(e); // e.g. a temperature the sampler refuses
            }
        }
    }

    @Property(tries = 250, seed = "20261202")
    void byteMutatedCheckpoints(@ForAll long rng) throws Exception {
        Path file = trained.resolve("bytes").resolve(Checkpoints.LAST);
        Files.createDirectories(file.getParent());
        Files.write(file, Mutations.mutate(seedBytes, rng, 0, 1, 2, 3, 4));
        load(file);
    }

    @Property(tries = 250, seed = "20261203")
    void semanticallyDamagedCheckpoints(@ForAll long rng) throws Exception {
        Path file = trained.resolve("meta").resolve(Checkpoints.LAST);
        damage(file, rng);
        load(file);
    }

    /** {@code --resume} of a damaged run: trains on or fails with a message. */
    @Property(tries = 60, seed = "20261204")
    void resumeOfDamagedCheckpoints(@ForAll long rng) throws Exception {
        Path dir = trained.resolve("resume" + Long.toHexString(rng));
        damage(dir.resolve(Checkpoints.LAST), rng);
        CharCorpus text = CheckpointMetadataTest.TEXT;
        try {
            new CharLstmExample().train(RnnRunsForTests.run("char-lstm", 2, 4, 0.01, 0, dir, 0, 0, dir, 0).ctx(), text,
                    CheckpointMetadataTest.TINY);
        } catch (IllegalStateException e) {
            // damaged weights may make the loss non-finite: the documented divergence message
            assertTrue(e.getMessage().contains("training diverged"), e.getMessage());
        } catch (Exception e) {
            expected(e);
        }
    }
}
