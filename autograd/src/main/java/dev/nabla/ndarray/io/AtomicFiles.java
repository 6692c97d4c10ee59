package dev.nabla.ndarray.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way the project writes a file, so that a reader sees either the old content or the
 * complete new content, never a partial one, and a planted symbolic link is never followed:
 *
 * <ol>
 *   <li>the bytes go to a fresh temporary file {@code .<name>.<pid>.<random>.tmp} in the target's
 *       directory, opened with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS} (an existing file or
 *       link of that name makes it pick another name; nothing is ever opened through a link);</li>
 *   <li>the file is forced to disk, renamed over the target with {@code ATOMIC_MOVE} (falling back
 *       to {@code REPLACE_EXISTING} only on a file system that does not support atomic moves), and
 *       the directory is forced too where the platform allows opening one (Linux);</li>
 *   <li>on failure the target is left as it was and the temporary file is removed.</li>
 * </ol>
 *
 * <p>A process killed while writing leaves its temporary file behind. Every write therefore first
 * removes the temporary files <em>of the same target</em> whose process (the pid in their name)
 * no longer runs, so repeated kills cannot fill the disk. A temporary file of a live process,
 * including this one, is left alone. (Pids are per host: on a directory shared between hosts a
 * foreign writer's live temporary file may look stale; a recycled pid keeps an orphan until the
 * pid is free again.)
 *
 * <p>The temporary file is created through {@link FileChannel#open} (not {@code createTempFile}),
 * so the result gets the usual umask permissions rather than owner-only ones.
 *
 * <p>Thread-safe: concurrent writes of the same target from several threads or processes each use
 * their own temporary file, and the last rename wins.
 */
public final class AtomicFiles {
    private static final String SUFFIX = ".tmp";

    private AtomicFiles() {}

    /**
     * Writes the content of a file through an output stream; may throw any I/O error.
     * Called once, on the thread that writes the file.
     */
    @FunctionalInterface
    public interface Writer {
        /** Writes the whole content to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes the content of a file through its channel (positioned at 0); may throw any I/O error. */
    @FunctionalInterface
    public interface ChannelWriter {
        /** Writes the whole content to {@code ch}. */
        void writeTo(FileChannel ch) throws IOException;
    }

    /** Atomically replaces {@code target} with {@code bytes}, creating its folder if needed. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Atomically replaces {@code target} with {@code lines}, each ended by {@code \n}, in UTF-8. */
    public static void writeLines(Path target, Iterable<String> lines) throws IOException {
        write(target, out -> {
            for (String l : lines) {
                out.write(l.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        });
    }

    /** Atomically replaces {@code target} with a copy of {@code source}'s bytes. */
    public static void copy(Path source, Path target) throws IOException {
        write(target, out -> Files.copy(source, out));
    }

    /**
     * Atomically replaces {@code target} with what {@code writer} writes, creating its folder if
     * needed. If the writer fails, the target is left as it was and the temporary file is removed.
     */
    public static void write(Path target, Writer writer) throws IOException {
        writeChannel(target, ch -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            writer.writeTo(out);
            out.flush();
        });
    }

    /**
     * Atomically replaces {@code target} with what {@code writer} writes to the temporary file's
     * channel, creating its folder if needed (for writers that fill buffers themselves, such as
     * {@link Safetensors}). If the writer fails, the target is left as it was and the temporary
     * file is removed.
     */
    public static void writeChannel(Path target, ChannelWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) {
            throw new IOException("AtomicFiles.write: '" + target + "' is not a file path; give a file name");
        }
        if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("AtomicFiles.write: '" + target + "' is a directory; give a file name inside it");
        }
        Files.createDirectories(dir);
        String name = abs.getFileName().toString();
        removeStaleTemps(dir, name);
        boolean moved = false;
        Path tmp = null;
        try {
            FileChannel ch = null;
            while (ch == null) {
                tmp = dir.resolve(tempName(name, ProcessHandle.current().pid()));
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS);
                } catch (FileAlreadyExistsException e) {
                    tmp = null; // an existing file or planted link of that name: never touch it, pick another name
                }
            }
            try (FileChannel c = ch) {
                writer.writeTo(c);
                c.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved && tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one worth reporting
                }
            }
        }
        forceDirectory(dir);
    }

    /**
     * Opens {@code file} for appending, creating it if absent, without following a symbolic link
     * (a link at {@code file} fails with an {@link IOException} instead of writing through it).
     */
    public static FileChannel openAppend(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
    }

    /** The temporary name for {@code name} written by process {@code pid}: {@code .<name>.<pid>.<random>.tmp}. */
    static String tempName(String name, long pid) {
        return "." + name + "." + pid + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + SUFFIX;
    }

    /**
     * Removes the temporary files of {@code name} in {@code dir} left by processes that no longer
     * run; best effort (a file that cannot be removed is left). Returns how many were removed.
     */
    static int removeStaleTemps(Path dir, String name) {
        String prefix = "." + name + ".";
        Pattern p = Pattern.compile(Pattern.quote(prefix) + "(\\d{1,18})\\.[0-9a-zA-Z]{1,32}" + Pattern.quote(SUFFIX));
        long self = ProcessHandle.current().pid();
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
                f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(SUFFIX))) {
            for (Path f : ds) {
                Matcher m = p.matcher(f.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                if (pid != self && !alive(pid)) {
                    try {
                        Files.deleteIfExists(f);
                        removed++;
                    } catch (IOException ignored) {
                        // someone else removed it, or no permission: not this write's problem
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // an unreadable directory fails the write itself a moment later, with a clearer message
        }
        return removed;
    }

    private static boolean alive(long pid) {
        try {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            return h.isPresent() && h.get().isAlive();
        } catch (RuntimeException e) {
            return true; // cannot tell (security manager, platform): keep the file
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux); elsewhere a no-op. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on this platform: the rename itself is still atomic
        }
    }
}
