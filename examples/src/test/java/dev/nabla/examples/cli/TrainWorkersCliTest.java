package dev.nabla.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
import dev.nabla.examples.Main;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.train.Checkpoints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code nabla train MODEL --workers N [--shard-size M]}: parsed, checked against the model and the
 * batch size, and a run on 2 workers writes the same checkpoint bytes as a run on 1.
 */
class TrainWorkersCliTest {
    private static final PrintStream SINK = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static TrainCommand parse(String... args) {
        CommandLine.ParseResult pr = Main.commandLine(SINK, SINK).parseArgs(args);
        return (TrainCommand) pr.subcommand().commandSpec().userObject();
    }

    private static int[] settings(String... args) throws IOException {
        TrainCommand t = parse(args);
        RunConfig c = t.resolve();
        return t.dataParallel(t.example(), c);
    }

    @Test
    void workersAndShardSizeAreParsed() throws IOException {
        assertArrayEquals(new int[] {0, 16}, settings("train", "mnist-mlp"));
        assertArrayEquals(new int[] {2, 16}, settings("train", "mnist-mlp", "--workers", "2"));
        assertArrayEquals(new int[] {4, 25}, settings("train", "mnist-mlp", "--workers", "4", "--shard-size", "25"));
    }

    @Test
    void badSettingsAreUsageErrors() {
        UsageException e = assertThrows(UsageException.class, () -> settings("train", "char-lstm", "--workers", "2"));
        assertTrue(e.getMessage().startsWith("--workers 2: char-lstm has a training loop of its own")
                && e.getMessage().contains("mnist-mlp"), e.getMessage());
        e = assertThrows(UsageException.class, () -> settings("train", "mnist-mlp", "--shard-size", "8"));
        assertEquals("--shard-size 8 applies to data-parallel training; add --workers N", e.getMessage());
        e = assertThrows(UsageException.class, () -> settings("train", "mnist-mlp", "-b", "20", "--workers", "4",
                "--shard-size", "8"));
        assertEquals("--workers 4: a batch of 20 samples makes 3 micro-shards of at most 8 samples, fewer than the 4 "
                + "workers; use at most 3 workers, a shard size of at most 5, or a batch of at least 32", e.getMessage());
        String out = Cli.fail("train", "iris", "--workers", "0");
        assertTrue(out.contains("--workers") && out.contains("0"), out);
    }

    @Test
    void twoWorkersWriteTheCheckpointOfOne(@TempDir Path tmp) throws IOException {
        String one = Cli.run("train", "iris", "--epochs", "2", "-b", "32", "--workers", "1", "--shard-size", "8",
                "--progress", "never", "--no-tensorboard", "--out", tmp.resolve("w1").toString());
        assertTrue(one.contains("on 1 workers (micro-shards of 8)"), one);
        Cli.run("train", "iris", "--epochs", "2", "-b", "32", "--workers", "2", "--shard-size", "8",
                "--progress", "never", "--no-tensorboard", "--out", tmp.resolve("w2").toString());
        Cli.run("train", "iris", "--epochs", "2", "-b", "32", "--progress", "never", "--no-tensorboard",
                "--out", tmp.resolve("plain").toString());
        byte[] w1 = Files.readAllBytes(tmp.resolve("w1").resolve(Checkpoints.LAST));
        assertArrayEquals(w1, Files.readAllBytes(tmp.resolve("w2").resolve(Checkpoints.LAST)));
        // micro-shards of 8 change the rounding (and nothing else): the plain run's bytes differ
        assertFalse(java.util.Arrays.equals(w1, Files.readAllBytes(tmp.resolve("plain").resolve(Checkpoints.LAST))));
    }
}
