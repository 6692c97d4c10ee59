package dev.nabla.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The checks of path options before a command runs, so that a wrong path is reported as what it is
 * ("is a file, not a directory", "does not exist", "permission denied") with the option named,
 * instead of a bare path from deep inside the JDK. Stateless and thread-safe.
 */
final class PathChecks {
    private PathChecks() {}

    /** {@code --data-dir} must be an existing directory when given (null: the shipped copies). */
    static void dataDir(Path dir) {
        if (dir == null) {
            return;
        }
        if (!Files.exists(dir)) {
            throw new UsageException("--data-dir " + dir + " does not exist; give the directory that holds the data files, "
                    + "or drop --data-dir to use the copies shipped with Nabla");
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--data-dir " + dir + " is a file, not a directory; give the directory that holds "
                    + "the data files");
        }
    }

    /** Refuses an {@code --out} that is a file (usage); nothing is created. */
    static void outIsNotAFile(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("--out " + dir + " is a file, not a directory; give a directory for the run "
                    + "(it is created if missing)");
        }
    }

    /** Creates the {@code --out} directory (and its parents), saying why when that is impossible. */
    static void createOut(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            Path file = fileOnTheWay(dir);
            String why = file != null ? file + " is a file, not a directory"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e.getReason() != null ? e.getReason()
                    : e instanceof NoSuchFileException ? "no such file or directory (" + e.getFile() + ")"
                    : e.getClass().getSimpleName() + " (" + e.getFile() + ")";
            throw new IOException("cannot create --out " + dir + ": " + why + "; choose a directory you can write to", e);
        }
    }

    /** The first of {@code dir} and its parents that is a regular file (so no directory can be made below it), or null. */
    private static Path fileOnTheWay(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Runs {@code body}; a data file missing from {@code --data-dir} is reported with that option named
     * and the fix (a missing file elsewhere is passed on as it is).
     */
    static void withDataDir(Path dataDir, String model, IoBody body) throws Exception {
        try {
            body.run();
        } catch (NoSuchFileException | UncheckedIOException e) {
            Throwable t = e instanceof UncheckedIOException ? e.getCause() : e;
            if (dataDir == null || !(t instanceof NoSuchFileException)) {
                throw e;
            }
            NoSuchFileException n = (NoSuchFileException) t;
            String reason = n.getReason() != null ? n.getReason() : "no such file";
            NoSuchFileException hint = new NoSuchFileException(n.getFile(), n.getOtherFile(), reason + "; --data-dir "
                    + dataDir + " must hold the data files of " + model + " (named as in the shipped copies), "
                    + "or drop --data-dir to use the copies shipped with Nabla");
            hint.initCause(e);
            throw hint;
        }
    }

    /** A step that may fail with an I/O error. */
    @FunctionalInterface
    interface IoBody {
        /** Runs the step. */
        void run() throws Exception;
    }
}
