package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.io.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Fuzzing {@link CharCorpus#load}, plain and gzip: a short UTF-8 text with accents, an emoji and
 * newlines, mutated at random (byte flips that break UTF-8 sequences, truncation inside a multi-byte
 * character, insertions, lone surrogate tokens; for gzip, the compressed bytes). Contract: the load
 * returns a corpus whose ids decode back to its text, or throws {@link MalformedDataException} naming
 * the file; nothing else, and one load allocates at most 64 x (file size + inflated size) + 1 MiB.
 * Seeds are fixed so that {@code verify} is reproducible.
 */
class CharCorpusFuzzTest {
    private static final byte[] TEXT = "To be, or not to be: caf\u00e9 \ud83d\ude00\nThat is the question.\n"
            .getBytes(StandardCharsets.UTF_8);
    private static final Path FILE = FuzzFiles.file("fuzz.txt");

    private static void load(byte[] bytes, long inflated) {
        FuzzFiles.write(FILE, bytes);
        long before = Mutations.allocatedBytes();
        try {
            CharCorpus c = CharCorpus.load(FILE);
            assertEquals(c.text(), c.vocabulary().decode(c.ids()));
            assertTrue(c.length() >= 1);
        } catch (MalformedDataException e) {
            assertTrue(e.getMessage().startsWith(FILE.toString()), e.getMessage());
        }
        long allocated = Mutations.allocatedBytes() - before;
        assertTrue(allocated <= Mutations.allowance(bytes.length + inflated), allocated + " bytes for a "
                + bytes.length + "-byte file");
    }

    @Property(tries = 300, seed = "20261202")
    void mutatedText(@ForAll long rng) {
        load(Mutations.mutate(TEXT, rng), 0);
    }

    @Property(tries = 200, seed = "20261203")
    void mutatedGzipText(@ForAll long rng) throws IOException {
        byte[] gz = Mutations.mutate(IdxTest.gzip(TEXT), rng);
        load(gz, IdxFuzzTest.inflatedLength(gz));
    }
}
