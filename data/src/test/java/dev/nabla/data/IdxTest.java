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
