package dev.nabla.examples.rnn;

import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

/** Builds run contexts for the recurrent examples' tests, capturing what they print. */
final class RnnRunsForTests {
    private RnnRunsForTests() {}

    /** A context plus the buffer its stdout goes to. */
    record Run(RunContext ctx, ByteArrayOutputStream out) {
        String printed() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static Run run(String model, int epochs, int batch, double lr, long seed, Path dir, int trainLimit, int testLimit,
                   Path resume, int stopAfter) {
        RunConfig cfg = new RunConfig(model, epochs, batch, lr, "adam", 0, "none", seed, dir, null, trainLimit, testLimit);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        return new Run(new RunContext(cfg, out, RunContext.NULL, false, resume, Set.of(), stopAfter), buf);
    }

    static Run run(String model, int epochs, int batch, double lr, long seed, Path dir) {
        return run(model, epochs, batch, lr, seed, dir, 0, 0, null, 0);
    }
}
