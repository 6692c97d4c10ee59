package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader on small files built here: round trips, gzip detection and every malformed case. */
class IdxTest {
    @TempDir
    Path dir;

    static byte[] images(int magic, int n, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(magic).putInt(n).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    static byte[] labels(int magic, int n, byte[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(magic).putInt(n).put(values);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(raw);
        }
        return out.toByteArray();
    }

    static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 51);
        }
        return p;
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void rawAndGzipReadTheSamePixelsScaledToUnitInterval() throws IOException {
        byte[] raw = images(2051, 3, 2, 2, pixels(12));
        NDArray a = Idx.readImages(write("a", raw));
        NDArray b = Idx.readImages(write("b.gz", gzip(raw)));
        assertArrayEquals(new int[] {3, 2, 2}, a.shape());
        assertArrayEquals(a.toArray(), b.toArray());
        // bytes 0, 51, 102, 153, 204, 255 (then wrapping) map to k/255
        assertEquals(0.0, a.get(0, 0, 0));
        assertEquals(0.2, a.get(0, 0, 1), 1e-15);
        assertEquals(1.0, a.get(1, 0, 1));
        assertEquals(((6 * 51) & 0xFF) / 255.0, a.get(1, 1, 0));
        int[] l = Idx.readLabels(write("l.gz", gzip(labels(2049, 4, new byte[] {3, 1, 4, (byte) 200}))));
        assertArrayEquals(new int[] {3, 1, 4, 200}, l);
        // streams are auto-detected too
        NDArray c = Idx.readImages(new java.io.ByteArrayInputStream(gzip(raw)), "mem.gz");
        assertArrayEquals(a.toArray(), c.toArray());
    }

    @Test
    void labelsFileGivenAsImagesNamesTheMagicNumbersAndTheLikelySwap() throws IOException {
        Path p = write("swapped", labels(2049, 2, new byte[] {1, 2}));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.readImages(p));
        assertTrue(e.getMessage().contains("wrong magic number 2049"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 2051"), e.getMessage());
        assertTrue(e.getMessage().contains("swapped"), e.getMessage());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        Path q = write("swapped2", images(2051, 1, 1, 1, new byte[] {1}));
        MalformedDataException f = assertThrows(MalformedDataException.class, () -> Idx.readLabels(q));
        assertTrue(f.getMessage().contains("wrong magic number 2051") && f.getMessage().contains("expected 2049"),
                f.getMessage());
    }

    @Test
    void aFileThatIsNotIdxAtAll() throws IOException {
        Path p = write("zip", "PK\u0003\u0004 not an idx file".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.readImages(p));
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void truncatedPixelDataSaysHowMuchWasDeclaredAndFound() throws IOException {
        byte[] full = images(2051, 3, 2, 2, pixels(12));
        Path p = write("cut", Arrays.copyOf(full, 16 + 7));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.readImages(p));
        assertTrue(e.getMessage().contains("truncated data"), e.getMessage());
        assertTrue(e.getMessage().contains("3 images of 2x2 (12 bytes of data)"), e.getMessage());
        assertTrue(e.getMessage().contains("ends after 7 bytes"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReportedAsTruncated() throws IOException {
        byte[] gz = gzip(images(2051, 40, 10, 10, pixels(4000)));
        Path p = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.readImages(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void corruptGzipDataIsMalformed() throws IOException {
        byte[] good = gzip(images(2051, 4, 5, 5, pixels(100)));
        // first deflate block header with the reserved block type 11
        byte[] badBlock = good.clone();
        badBlock[10] = 0x07;
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> Idx.readImages(write("block.gz", badBlock)));
        assertTrue(e.getMessage().contains("corrupt gzip data"), e.getMessage());
        // intact data but a wrong CRC in the trailer: found when the end is checked
        byte[] badCrc = good.clone();
        badCrc[good.length - 8] ^= 0x55;
        MalformedDataException c = assertThrows(MalformedDataException.class,
                () -> Idx.readImages(write("crc.gz", badCrc)));
        assertTrue(c.getMessage().contains("corrupt gzip data"), c.getMessage());
    }

    @Test
    void truncatedHeaderAndEmptyFile() throws IOException {
        Path p = write("head", Arrays.copyOf(images(2051, 1, 1, 1, new byte[] {0}), 10));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.readImages(p));
        assertTrue(e.getMessage().contains("truncated header") && e.getMessage().contains("row count"), e.getMessage());
        Path q = write("empty", new byte[0]);
        MalformedDataException f = assertThrows(MalformedDataException.class, () -> Idx.readLabels(q));
        assertTrue(f.getMessage().contains("empty"), f.getMessage());
    }

    @Test
    void trailingDataIsRejected() throws IOException {
        byte[] raw = labels(2049, 2, new byte[] {1, 2, 3, 4});
        Path p = write("long", raw);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.readLabels(p));
        assertTrue(e.getMessage().contains("2 bytes of unexpected data follow the 2 labels"), e.getMessage());
    }

    @Test
    void headerCountsBeyondTheFileAreRefusedWithoutAllocatingThem() throws IOException {
        // a 12-byte labels file whose header claims 2^31-1 labels: was new byte[2^31-1], an OutOfMemoryError
        Path p = write("claims", labels(2049, Integer.MAX_VALUE, new byte[] {1, 2, 3, 4}));
        assertEquals(12, Files.size(p));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.readLabels(p));
        assertTrue(e.getMessage().startsWith(p + ": the header declares 2147483647 labels, more than one array"),
                e.getMessage());
        // 2^30 labels fit an array but not this file: reported as truncated after reading only what is there
        for (byte[] file : new byte[][] {labels(2049, 1 << 30, new byte[] {1, 2, 3, 4}),
            gzip(labels(2049, 1 << 30, new byte[] {1, 2, 3, 4}))}) {
            Path q = write("claims.gz", file);
            long before = dev.nabla.ndarray.io.Mutations.allocatedBytes();
            MalformedDataException t = assertThrows(MalformedDataException.class, () -> Idx.readLabels(q));
            long allocated = dev.nabla.ndarray.io.Mutations.allocatedBytes() - before;
            assertTrue(t.getMessage().contains("truncated data: the header declares 1073741824 labels (1073741824 bytes"
                    + " of data) but the file ends after 4 bytes of data"), t.getMessage());
            assertTrue(allocated < 2 << 20, "one read of a " + file.length + "-byte file allocated " + allocated + " bytes");
        }
    }

    @Test
    void imageDimensionsWhoseProductOverflowsAreRefused() throws IOException {
        // 2^21 * 2^21 * 2^22 = 2^64 wrapped to 0 bytes in long arithmetic: an empty payload was accepted
        Path p = write("wrap", images(2051, 1 << 21, 1 << 21, 1 << 22, new byte[0]));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.readImages(p));
        assertTrue(e.getMessage().startsWith(p + ": the header declares images of 2097152x4194304 (8796093022208 pixels"
                + " each), more than one array can hold"), e.getMessage());
        Path q = write("big", images(2051, 1 << 20, 1 << 10, 1 << 10, new byte[0]));
        MalformedDataException f = assertThrows(MalformedDataException.class, () -> Idx.readImages(q));
        assertTrue(f.getMessage().contains("declares 1048576 images of 1024x1024 (1099511627776 bytes), more than one"
                + " array can hold"), f.getMessage());
    }

    @Test
    void gzipTrailerAndTrailingJunkAreChecked() throws IOException {
        byte[] raw = labels(2049, 3, new byte[] {7, 8, 9});
        byte[] good = gzip(raw);
        assertArrayEquals(new int[] {7, 8, 9}, Idx.readLabels(write("good.gz", good)));
        // ISIZE (the last 4 bytes) off by one
        byte[] badSize = good.clone();
        badSize[good.length - 4]++;
        Path s = write("size.gz", badSize);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.readLabels(s));
        assertTrue(e.getMessage().startsWith(s + ": corrupt gzip data: member 1 decompressed to 11 bytes but its trailer"
                + " says 12"), e.getMessage());
        byte[] badCrc = good.clone();
        badCrc[good.length - 8] ^= 0x55;
        Path c = write("crc.gz", badCrc);
        MalformedDataException f = assertThrows(MalformedDataException.class, () -> Idx.readLabels(c));
        assertTrue(f.getMessage().startsWith(c + ": corrupt gzip data: the CRC-32 of member 1's decompressed data is"),
                f.getMessage());
        // junk after the gzip member: GZIPInputStream ignored it silently
        byte[] junk = Arrays.copyOf(good, good.length + 20);
        Path j = write("junk.gz", junk);
        MalformedDataException g = assertThrows(MalformedDataException.class, () -> Idx.readLabels(j));
        assertTrue(g.getMessage().startsWith(j + ": corrupt gzip data: bytes follow the end of gzip member 1 and are not"
                + " another gzip member (trailing junk)"), g.getMessage());
        // a cut trailer is truncated data
        Path t = write("cut.gz", Arrays.copyOf(good, good.length - 3));
        MalformedDataException h = assertThrows(MalformedDataException.class, () -> Idx.readLabels(t));
        assertTrue(h.getMessage().contains("truncated compressed data: the file ends inside the 8-byte gzip trailer"),
                h.getMessage());
        // concatenated members are one valid gzip stream (as gzip(1) reads them)
        byte[] head = gzip(Arrays.copyOf(raw, 9));
        byte[] tail = gzip(Arrays.copyOfRange(raw, 9, raw.length));
        byte[] both = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, both, head.length, tail.length);
        assertArrayEquals(new int[] {7, 8, 9}, Idx.readLabels(write("two.gz", both)));
    }

    @Test
    void mnistDirectoryWithRawAndGzipFiles() throws IOException {
        write("train-images-idx3-ubyte", images(2051, 3, 2, 2, pixels(12)));
        write("train-labels-idx1-ubyte.gz", gzip(labels(2049, 3, new byte[] {9, 0, 5})));
        ArrayDataset d = Mnist.load(dir, Split.TRAIN);
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {4}, d.sampleShape());
        assertArrayEquals(new int[] {9, 0, 5}, d.labels());
        assertEquals(0.2, d.get(0).x().getFlat(1), 1e-15);
    }

    @Test
    void imageAndLabelCountMismatch() throws IOException {
        write("t10k-images-idx3-ubyte.gz", gzip(images(2051, 3, 2, 2, pixels(12))));
        write("t10k-labels-idx1-ubyte.gz", gzip(labels(2049, 2, new byte[] {1, 2})));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Mnist.load(dir, Split.TEST));
        assertTrue(e.getMessage().contains("counts do not match"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 3 images") && e.getMessage().contains("holds 2 labels"), e.getMessage());
    }

    @Test
    void mnistLabelsMustBeDigits() throws IOException {
        write("t10k-images-idx3-ubyte", images(2051, 2, 1, 1, new byte[] {0, 1}));
        write("t10k-labels-idx1-ubyte", labels(2049, 2, new byte[] {1, 12}));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Mnist.load(dir, Split.TEST));
        assertTrue(e.getMessage().contains("label 12 at position 1 is not a digit"), e.getMessage());
    }

    @Test
    void missingFileNamesWhatWasLookedFor() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Mnist.load(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz") || e.getMessage().contains("train-images-idx3-ubyte.gz"),
                e.getMessage());
    }
}
