package dev.nabla.examples.cli;

import dev.nabla.data.MalformedDataException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How {@code nabla} reports a failure: one line {@code nabla: error: <what, where, and the fix>} on
 * standard error, and an exit status: {@value #USAGE} for a command line that cannot run as given
 * (unknown option or model, bad or missing value: picocli's parse errors and {@link UsageException}),
 * {@value #FAILURE} for a failure while running (a malformed data file or checkpoint, a missing or
 * unreadable file, out of memory, a bug). A stack trace follows only when the environment sets
 * {@code NABLA_DEBUG=1}; a failure that is a bug says so and asks for that trace.
 * Stateless and thread-safe.
 */
public final class Errors {
    /** Exit status of a usage error. */
    public static final int USAGE = 2;
    /** Exit status of a runtime failure. */
    public static final int FAILURE = 1;
    /** Help text (every command's footer): the exit statuses. */
    public static final String EXIT_HELP = "Exit status: 0 on success, 1 on a failure while running (bad data file,%n"
            + "  checkpoint, I/O, out of memory), 2 on a usage error (bad option or value).";
    /** Help text (every command's footer): the environment variables. */
    public static final String ENV_HELP = "Set NABLA_DEBUG=1 for stack traces with error messages; NABLA_JAVA_OPTS%n"
            + "  replaces the JVM options of ./nabla and nabla.cmd (default: -Xss8m -Xmx4g%n"
            + "  --add-modules jdk.incubator.vector; keep the last for the fast GEMM kernels).";

    private Errors() {}

    /** Whether the environment asks for stack traces ({@code NABLA_DEBUG=1}). */
    public static boolean debugFromEnvironment() {
        return "1".equals(System.getenv("NABLA_DEBUG"));
    }

    /** Reports a command line picocli could not parse (or a {@link ParameterException} thrown by a command). */
    public static int parseError(ParameterException ex, PrintStream err, boolean debug) {
        String help = ex.getCommandLine() == null ? "nabla" : ex.getCommandLine().getCommandSpec().qualifiedName();
        err.println("nabla: error: " + describe(ex) + " (see `" + help + " --help`)");
        if (debug) {
            ex.printStackTrace(err);
        }
        return USAGE;
    }

    /** Reports {@code t}, thrown while {@code command} ran; returns the exit status. */
    public static int failure(Throwable t, CommandLine command, PrintStream err, boolean debug) {
        Throwable root = unwrap(t);
        boolean usage = root instanceof UsageException;
        String msg = usage ? message(root) : describe(root);
        if (usage && command != null) {
            msg += " (see `" + command.getCommandSpec().qualifiedName() + " --help`)";
        }
        err.println("nabla: error: " + msg);
        if (debug) {
            t.printStackTrace(err);
        }
        return usage ? USAGE : FAILURE;
    }

    /** The exception that says what went wrong, without the wrappers that only carry it. */
    static Throwable unwrap(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError || c instanceof StackOverflowError) {
                return c; // e.g. in a prefetch thread, passed on wrapped: the advice about -Xmx/-Xss is what helps
            }
        }
        while (t.getCause() != null && (t instanceof CommandLine.ExecutionException
                || t instanceof java.util.concurrent.ExecutionException || t instanceof java.util.concurrent.CompletionException
                || t instanceof UncheckedIOException && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString())))) {
            t = t.getCause(); // a wrapper with a message of its own (UncheckedIOException("cannot read X: ...")) is kept
        }
        return t;
    }

    /** The one-line message for a runtime failure. */
    static String describe(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "out of memory (" + message(t) + "; this JVM may use at most " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB): try a larger heap with -Xmx via NABLA_JAVA_OPTS (e.g. NABLA_JAVA_OPTS='-Xss8m -Xmx8g --add-modules jdk.incubator.vector' ./nabla ...) "
                    + "or a smaller --batch-size";
        }
        if (t instanceof StackOverflowError) {
            return "stack overflow: try a larger thread stack with -Xss via NABLA_JAVA_OPTS "
                    + "(e.g. NABLA_JAVA_OPTS='-Xss16m -Xmx4g --add-modules jdk.incubator.vector')";
        }
        if (t instanceof FileSystemException) {
            return fileProblem((FileSystemException) t);
        }
        if (t instanceof MalformedDataException || t instanceof IOException || t instanceof UncheckedIOException
                || t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof UnsupportedOperationException) {
            return message(t); // these messages name the file or value, the problem and the fix (diverged, ...)
        }
        return "internal error: " + t + (t.getStackTrace().length > 0 ? " at " + t.getStackTrace()[0] : "")
                + "; this is a bug in nabla: rerun with NABLA_DEBUG=1 for the stack trace and report it";
    }

    /** What is wrong with a file or directory, in words (the JDK's message names only the path for some). */
    static String fileProblem(FileSystemException e) {
        String file = e.getFile() + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "");
        String reason = e.getReason();
        if (e instanceof NoSuchFileException) {
            return file + ": " + (reason != null ? reason : "no such file or directory; check the path");
        }
        if (e instanceof AccessDeniedException) {
            return file + ": permission denied" + (reason != null ? " (" + reason + ")" : "")
                    + "; check its permissions, or choose another path";
        }
        String kind = e instanceof FileAlreadyExistsException ? "already exists"
                : e instanceof NotDirectoryException ? "not a directory"
                : e instanceof DirectoryNotEmptyException ? "directory not empty" : null;
        if (reason == null) {
            reason = kind != null ? kind : e.getClass().getSimpleName();
        }
        return file + ": " + reason;
    }

    /** The one-line message for a parse error, naming the option and what it expects. */
    static String describe(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException) {
            List<String> suggestions = ((UnmatchedArgumentException) ex).getSuggestions();
            return message(ex) + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?");
        }
        ArgSpec arg = ex.getArgSpec();
        Throwable cause = ex.getCause();
        if (arg == null || ex.getValue() == null || cause == null) {
            return message(ex);
        }
        String name = arg.isOption() ? ((OptionSpec) arg).longestName() : arg.paramLabel();
        Class<?> type = arg.type();
        if (java.util.Collection.class.isAssignableFrom(type) && arg.auxiliaryTypes().length == 1) {
            type = arg.auxiliaryTypes()[0]; // a list option (--workload W1,W2): its elements' type
        }
        if (type.isEnum()) {
            String values = Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
            return name + " expects one of " + values + ", got \"" + ex.getValue() + "\"";
        }
        if (cause instanceof TypeConversionException) {
            return name + " " + cause.getMessage();
        }
        return name + " expects " + typeName(type) + ", got \"" + ex.getValue() + "\"";
    }

    private static String typeName(Class<?> type) {
        if (type == java.nio.file.Path.class) {
            return "a path";
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
