package dev.nabla.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the {@code nabla} command line in-process for tests, with standard output and error captured together. */
public final class Cli {
    private Cli() {}

    /** Runs {@code nabla args...}, asserts exit code 0 (showing the output otherwise) and returns the output. */
    public static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = Main.run(args, out, out);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    /** Runs {@code nabla args...}, asserts a non-zero exit code and returns the output (the error message). */
    public static String fail(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = Main.run(args, out, out);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertNotEquals(0, code, text);
        return text;
    }

    /** What one invocation printed and returned. */
    public record Result(int code, String out, String err) {
    }

    /** Runs {@code nabla args...} with standard output and error captured apart; {@code debug} as NABLA_DEBUG=1. */
    public static Result exec(boolean debug, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                debug);
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }
}
