package dev.nabla.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One reusable temporary file per fuzz suite, for the readers that take a {@link Path}; deleted at JVM exit. */
final class FuzzFiles {
    private FuzzFiles() {}

    /** A fresh temporary file named {@code name} in its own directory. */
    static Path file(String name) {
        try {
            Path dir = Files.createTempDirectory("nabla-fuzz");
            Path f = dir.resolve(name);
            dir.toFile().deleteOnExit();
            f.toFile().deleteOnExit(); // registered after the directory: deleted first
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to {@code file}. */
    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
