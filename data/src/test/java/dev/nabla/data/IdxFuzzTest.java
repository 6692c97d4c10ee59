package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.Mutations;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Fuzzing the IDX reader, raw and gzip: small valid image and label files with random mutations
 * ({@link Mutations}: bit flips, truncation anywhere, insertions, deletions, appended junk, the
 * big-endian header numbers overwritten with huge or negative values). For gzip, both the compressed
 * bytes are mutated (header, deflate data, CRC-32/ISIZE trailer) and mutated raw files are compressed
 * (header counts that lie, inside a valid gzip stream). Contract: the reader returns or throws
 * {@link MalformedDataException} naming the source, nothing else (no OOM, NegativeArraySize, EOF,
 * AIOOBE), and one read allocates at most 64 x (file size + what the file really inflates to) + 1 MiB.
 * The seeds are fixed so that {@code verify} is reproducible.
 */
class IdxFuzzTest {
    private static final String SOURCE = "fuzz.idx";
    private static final byte[] IMAGES = IdxTest.images(2051, 3, 4, 5, IdxTest.pixels(60));
    private static final byte[] LABELS = IdxTest.labels(2049, 6, new byte[] {0, 9, 3, 3, 7, (byte) 200});
    private static final int[] IMAGE_NUMBERS = {0, 4, 8, 12};
    private static final int[] LABEL_NUMBERS = {0, 4};

    /** Reads {@code file} as images and as labels; returns normally or throws only MalformedDataException. */
    private static void readBoth(byte[] file, long inflated) {
        long before = Mutations.allocatedBytes();
        try {
            NDArray a = Idx.readImages(new ByteArrayInputStream(file), SOURCE);
            assertTrue(a.ndim() == 3 && a.size() <= Math.max(file.length, inflated), "shape vs bytes");
        } catch (MalformedDataException e) {
            assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
        }
        try {
            int[] l = Idx.readLabels(new ByteArrayInputStream(file), SOURCE);
            assertTrue(l.length <= Math.max(file.length, inflated), "labels vs bytes");
        } catch (MalformedDataException e) {
            assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
        }
        long allocated = Mutations.allocatedBytes() - before;
        long allowance = 2 * Mutations.allowance(file.length + inflated); // two reads
        assertTrue(allocated <= allowance, allocated + " bytes allocated by two reads of a " + file.length
                + "-byte file (inflating to " + inflated + ")");
    }

    /** What a (possibly corrupt) gzip file inflates to before the JDK's decoder gives up, capped at 64 MiB. */
    static long inflatedLength(byte[] gz) {
        long n = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            byte[] buf = new byte[8192];
            int r;
            while ((r = in.read(buf)) > 0 && n < (64 << 20)) {
                n += r;
            }
        } catch (IOException | RuntimeException e) {
            // corrupt: what came out before counts
        }
        return n;
    }

    @Property(tries = 300, seed = "20261202")
    void mutatedRawFiles(@ForAll long rng) {
        readBoth(Mutations.mutate(IMAGES, rng, IMAGE_NUMBERS), 0);
        readBoth(Mutations.mutate(LABELS, rng, LABEL_NUMBERS), 0);
    }

    @Property(tries = 300, seed = "20261203")
    void mutatedGzipFiles(@ForAll long rng) throws IOException {
        // the compressed bytes mutated: gzip header (MTIME at 4), deflate data, trailer (CRC-32, ISIZE)
        byte[] gz = IdxTest.gzip(IMAGES);
        byte[] m = Mutations.mutate(gz, rng, 4, gz.length - 8, gz.length - 4);
        readBoth(m, inflatedLength(m));
        // a raw file that lies, inside a valid gzip stream
        byte[] lying = IdxTest.gzip(Mutations.mutate(LABELS, rng, LABEL_NUMBERS));
        readBoth(lying, inflatedLength(lying));
    }

    @Property(tries = 20, seed = "20261204")
    void theSeedsThemselvesRead(@ForAll long ignored) throws IOException {
        assertArrayEquals(new int[] {0, 9, 3, 3, 7, 200}, Idx.readLabels(new ByteArrayInputStream(IdxTest.gzip(LABELS)),
                SOURCE));
        assertArrayEquals(new int[] {3, 4, 5}, Idx.readImages(new ByteArrayInputStream(IMAGES), SOURCE).shape());
    }
}
