package dev.nabla.data;

import dev.nabla.ndarray.NDArray;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reader of the IDX format of MNIST-style files (gzip-compressed or raw, detected by the gzip magic
 * bytes 1f 8b): a big-endian header (magic number, then one 32-bit size per dimension) followed by
 * unsigned bytes. Images have magic number 2051 (0x00000803: unsigned bytes, 3 dimensions
 * {@code count, rows, cols}); labels have 2049 (0x00000801: unsigned bytes, 1 dimension). A wrong
 * magic number, a header whose sizes exceed what the file holds, a truncated file, trailing data after
 * the payload, and (for gzip) a bad CRC-32 or length in the trailer or junk after the gzip data are
 * reported as a {@link MalformedDataException} naming the file. Memory is allocated only for data
 * that has actually been read, never from the header's counts alone.
 * Stateless and thread-safe.
 */
public final class Idx {
    /** Magic number of an IDX file of unsigned-byte images (3 dimensions). */
    public static final int IMAGES_MAGIC = 2051;
    /** Magic number of an IDX file of unsigned-byte labels (1 dimension). */
    public static final int LABELS_MAGIC = 2049;

    /** The largest Java array length that is safe to request. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** The payload buffer starts at most this large and doubles as data really arrives. */
    private static final int FIRST_CHUNK = 1 << 16;

    private Idx() {
    }

    /** Images as an array {@code (count, rows, cols)} of pixels scaled from 0..255 to [0, 1]. */
    public static NDArray readImages(Path file) {
        return readImages(DataFiles.open(file), file.toString());
    }

    /** Images from a stream, gzip-compressed or raw (closed afterwards); {@code source} names it in error messages. */
    public static NDArray readImages(InputStream in, String source) {
        Images im = readImagesRaw(in, source);
        return NDArray.of(im.pixels, im.count, im.rows, im.cols);
    }

    /** Decoded images: {@code count x rows x cols} pixels in [0, 1], row-major. */
    static final class Images {
        final int count;
        final int rows;
        final int cols;
        final double[] pixels;

        Images(int count, int rows, int cols, double[] pixels) {
            this.count = count;
            this.rows = rows;
            this.cols = cols;
            this.pixels = pixels;
        }
    }

    static Images readImagesRaw(InputStream in, String source) {
        try (InputStream s = DataFiles.decompressing(in, source)) {
            int magic = readHeaderInt(s, source, "magic number");
            checkMagic(source, magic, IMAGES_MAGIC, "image", "3 dimensions: count, rows, cols", LABELS_MAGIC, "label");
            int count = readDim(s, source, "image count");
            int rows = readDim(s, source, "row count");
            int cols = readDim(s, source, "column count");
            String declared = count + " images of " + rows + "x" + cols;
            if ((long) rows * cols > MAX_ARRAY) {
                throw new MalformedDataException(source, "the header declares images of " + rows + "x" + cols + " ("
                        + (long) rows * cols + " pixels each), more than one array can hold; a corrupt header");
            }
            long total;
            try {
                total = Math.multiplyExact(Math.multiplyExact((long) count, rows), cols);
            } catch (ArithmeticException e) {
                total = Long.MAX_VALUE;
            }
            if (total > MAX_ARRAY) {
                throw new MalformedDataException(source, "the header declares " + declared + " ("
                        + (total == Long.MAX_VALUE ? "more than 2^63" : Long.toString(total))
                        + " bytes), more than one array can hold (" + MAX_ARRAY + "); a corrupt header, or split the file");
            }
            byte[] pixels = readPayload(s, (int) total, source, declared);
            checkEnd(s, source, declared);
            double[] out = new double[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                out[i] = (pixels[i] & 0xFF) / 255.0;
            }
            return new Images(count, rows, cols, out);
        } catch (ZipException e) {
            throw new MalformedDataException(source, -1, -1, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Idx.readImages: cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** Labels 0..255 as an {@code int[count]}. */
    public static int[] readLabels(Path file) {
        return readLabels(DataFiles.open(file), file.toString());
    }

    /** Labels from a stream, gzip-compressed or raw (closed afterwards); {@code source} names it in error messages. */
    public static int[] readLabels(InputStream in, String source) {
        try (InputStream s = DataFiles.decompressing(in, source)) {
            int magic = readHeaderInt(s, source, "magic number");
            checkMagic(source, magic, LABELS_MAGIC, "label", "1 dimension: count", IMAGES_MAGIC, "image");
            int count = readDim(s, source, "label count");
            if (count > MAX_ARRAY) {
                throw new MalformedDataException(source, "the header declares " + count + " labels, more than one"
                        + " array can hold (" + MAX_ARRAY + "); a corrupt header");
            }
            byte[] raw = readPayload(s, count, source, count + " labels");
            checkEnd(s, source, count + " labels");
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                out[i] = raw[i] & 0xFF;
            }
            return out;
        } catch (ZipException e) {
            throw new MalformedDataException(source, -1, -1, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Idx.readLabels: cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static void checkMagic(String source, int magic, int expected, String kind, String dims, int other,
                                   String otherKind) {
        if (magic == expected) {
            return;
        }
        StringBuilder sb = new StringBuilder("wrong magic number ").append(magic)
                .append(String.format(" (0x%08X)", magic)).append(" for an IDX ").append(kind).append(" file: expected ")
                .append(expected).append(String.format(" (0x%08X: unsigned bytes, %s)", expected, dims));
        if (magic == other) {
            sb.append("; ").append(other).append(" is the magic number of an IDX ").append(otherKind)
                    .append(" file: were the image and label files swapped?");
        } else if ((magic >>> 16) != 0) {
            sb.append("; an IDX file starts with two zero bytes: this is not an IDX file (or a corrupt one)");
        }
        throw new MalformedDataException(source, sb.toString());
    }

    private static int readHeaderInt(InputStream in, String source, String what) throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int b;
            try {
                b = in.read();
            } catch (EOFException e) {
                b = -1;
            }
            if (b < 0) {
                throw new MalformedDataException(source, "truncated header: the file ends inside the " + what
                        + (i == 0 && "magic number".equals(what) ? " (the file is empty)" : ""));
            }
            v = (v << 8) | b;
        }
        return v;
    }

    private static int readDim(InputStream in, String source, String what) throws IOException {
        int v = readHeaderInt(in, source, what);
        if (v < 0) {
            throw new MalformedDataException(source, "the header declares a negative " + what + " (" + v + ")");
        }
        return v;
    }

    /**
     * The {@code declared} payload of {@code size} bytes. The buffer grows with the bytes that really
     * arrive (doubling from at most 64 KiB), so a header that claims more than the file holds costs no
     * more memory than the file's own data before it is reported as truncated.
     */
    private static byte[] readPayload(InputStream in, int size, String source, String declared) throws IOException {
        byte[] buf = new byte[Math.min(size, FIRST_CHUNK)];
        int off = 0;
        while (off < size) {
            if (off == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(size, 2L * buf.length));
            }
            int r;
            try {
                r = in.read(buf, off, buf.length - off);
            } catch (EOFException e) {
                r = -1; // a stream cut short ends here; reported below as truncated
            }
            if (r < 0) {
                throw new MalformedDataException(source, "truncated data: the header declares " + declared + " ("
                        + size + " bytes of data) but the file ends after " + off + " bytes of data");
            }
            off += r;
        }
        return buf;
    }

    private static void checkEnd(InputStream in, String source, String declared) throws IOException {
        long extra = 0;
        try {
            while (in.read() >= 0) {
                extra++;
            }
        } catch (EOFException e) {
            // trailing garbage in a gzip member; what matters is whether there was any
        }
        if (extra > 0) {
            throw new MalformedDataException(source, extra + " bytes of unexpected data follow the " + declared
                    + " declared in the header");
        }
    }
}
