package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The character-level corpus and its vocabulary, on a small text and on the shipped Tiny Shakespeare. */
class CharCorpusTest {
    @TempDir
    Path dir;

    @Test
    void vocabularyIsTheSortedDistinctCharacters() {
        CharCorpus c = CharCorpus.of("hello world");
        Vocabulary v = c.vocabulary();
        assertEquals(" dehlorw", v.symbols());
        assertEquals(8, v.size());
        assertArrayEquals(new int[] {3, 2, 4, 4, 5, 0, 7, 5, 6, 4, 1}, c.ids());
        assertEquals("hello world", v.decode(c.ids()));
        assertEquals("old", v.decode(v.encode("old")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("help"));
        assertTrue(e.getMessage().contains("character 'p' (U+0070) at position 3 is not in the vocabulary of 8"),
                e.getMessage());
        IndexOutOfBoundsException d = assertThrows(IndexOutOfBoundsException.class, () -> v.decode(8));
        assertTrue(d.getMessage().contains("ids 0..7"), d.getMessage());
    }

    @Test
    void supplementaryCharactersAreOneSymbol() {
        CharCorpus c = CharCorpus.of("a\uD83D\uDE00a");
        assertEquals(3, c.length());
        assertEquals(2, c.vocabulary().size());
        assertEquals("a\uD83D\uDE00a", c.vocabulary().decode(c.ids()));
    }

    @Test
    void trainValidationSplitOfTheStreamAndSequences() {
        CharCorpus c = CharCorpus.of("abcdefghij");
        int[] train = c.trainIds(0.8);
        int[] val = c.validationIds(0.8);
        assertEquals("abcdefgh", c.vocabulary().decode(train));
        assertEquals("ij", c.vocabulary().decode(val));
        ArrayDataset seq = CharCorpus.sequences(train, 3, 2);
        // windows start at 0, 2, 4: inputs abc/cde/efg, targets bcd/def/fgh
        assertEquals(3, seq.size());
        assertArrayEquals(new double[] {2, 3, 4}, seq.get(1).x().toArray());
        assertArrayEquals(new double[] {3, 4, 5}, seq.get(1).target().toArray());
        assertArrayEquals(new double[] {5, 6, 7}, seq.get(2).target().toArray());
        assertThrows(IllegalArgumentException.class, () -> CharCorpus.sequences(train, 8, 1));
        assertThrows(IllegalArgumentException.class, () -> c.trainIds(1.0));
    }

    @Test
    void tinyShakespeare() {
        CharCorpus c = CharCorpus.tinyShakespeare();
        assertEquals(1_115_394, c.length());
        assertEquals(65, c.vocabulary().size());
        assertEquals("\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", c.vocabulary().symbols());
        assertTrue(c.text().startsWith("First Citizen:\nBefore we proceed any further, hear me speak."));
        assertEquals(1_003_854, c.trainIds(0.9).length);
        assertEquals(c.text().substring(0, 40), c.vocabulary().decode(java.util.Arrays.copyOf(c.ids(), 40)));
    }

    @Test
    void invalidUtf8AndEmptyFiles() throws IOException {
        Path bad = Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', (byte) 0xC3, '(', 'x'});
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> CharCorpus.load(bad));
        assertTrue(e.getMessage().contains("not valid UTF-8 near byte offset 2"), e.getMessage());
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertThrows(MalformedDataException.class, () -> CharCorpus.load(empty));
        Path ok = Files.writeString(dir.resolve("ok.txt"), "to be");
        assertEquals(" bet o".length() - 1, CharCorpus.load(ok).vocabulary().size());
    }
}
