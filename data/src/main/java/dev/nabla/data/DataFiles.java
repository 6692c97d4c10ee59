package dev.nabla.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens shipped resources and user files, decompressing gzip transparently (detected by its magic
 * bytes 1f 8b) with the strict {@link GzipStream}: a bad CRC-32 or length in a trailer, and junk after
 * the last member, are {@link MalformedDataException}s naming the file.
 */
final class DataFiles {
    /** The classpath folder of the shipped data: {@code dev/nabla/data/}. */
    static final String RESOURCE_ROOT = "/dev/nabla/data/";

    private DataFiles() {
    }

    /** A shipped file, e.g. {@code "mnist/train-images-idx3-ubyte.gz"}, decompressed if gzip. */
    static InputStream openResource(String relative) {
        InputStream in = DataFiles.class.getResourceAsStream(RESOURCE_ROOT + relative);
        if (in == null) {
            throw new UncheckedIOException(new NoSuchFileException("classpath:" + RESOURCE_ROOT + relative,
                    null, "the shipped data file is not on the classpath; is the nabla-data jar (or data/src/main/resources) "
                    + "complete? The loaders that take a directory read a copy from elsewhere"));
        }
        return decompressing(in, "classpath:" + RESOURCE_ROOT + relative);
    }

    /** A file, decompressed if gzip. */
    static InputStream open(Path file) {
        try {
            return decompressing(Files.newInputStream(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(new NoSuchFileException(file.toString(), null, "no such file"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** A stream whose compression was already detected, so that a second detection is a no-op. */
    private static final class Detected extends BufferedInputStream {
        Detected(InputStream in) {
            super(in, 1 << 16);
        }
    }

    /**
     * Wraps {@code raw} in a gzip decoder when it starts with 1f 8b, else returns it buffered.
     * Idempotent: a stream this method returned is returned unchanged.
     */
    static InputStream decompressing(InputStream raw, String name) {
        if (raw instanceof Detected) {
            return raw;
        }
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new Detected(new GzipStream(in, name));
            }
            return new Detected(in);
        } catch (MalformedDataException e) {
            closeQuietly(in);
            throw e;
        } catch (IOException e) {
            closeQuietly(in);
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing useful to report on close of a stream that already failed
        }
    }
}
