package dev.nabla.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * {@code nabla train MODEL --spark MASTER [--shard-size M]}: checked against the other options and
 * the model; runs on local[1] and local[2] write the same checkpoint bytes, which {@code nabla eval}
 * reads.
 */
class TrainSparkCliTest {
    private static final PrintStream SINK = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static int[] settings(String... args) throws IOException {
        CommandLine.ParseResult pr = Main.commandLine(SINK, SINK).parseArgs(args);
        TrainCommand t = (TrainCommand) pr.subcommand().commandSpec().userObject();
        RunConfig c = t.resolve();
        return t.dataParallel(t.example(), c);
    }

    @Test
    void sparkTakesAShardSizeAndRefusesWorkersAndOwnLoops() throws IOException {
        assertArrayEquals(new int[] {0, 8}, settings("train", "iris", "--spark", "local[2]", "--shard-size", "8"));
        UsageException e = assertThrows(UsageException.class,
                () -> settings("train", "iris", "--spark", "local[2]", "--workers", "2"));
        assertTrue(e.getMessage().startsWith("--workers 2 and --spark local[2] are two ways") && e.getMessage().contains("local[2]"),
                e.getMessage());
        e = assertThrows(UsageException.class, () -> settings("train", "char-lstm", "--spark", "local[2]"));
        assertTrue(e.getMessage().startsWith("--spark local[2]: char-lstm has a training loop of its own"), e.getMessage());
    }

    @Test
    void localOneAndLocalTwoWriteTheSameCheckpointAndEvalReadsIt(@TempDir Path tmp) {
        String one = Cli.run("train", "iris", "--epochs", "2", "-b", "32", "--spark", "local[1]", "--shard-size", "8",
                "--progress", "never", "--no-tensorboard", "--out", tmp.resolve("s1").toString());
        assertTrue(one.contains("on Spark local[1] (micro-shards of 8)") && one.contains("epoch 2/2"), one);
        Cli.run("train", "iris", "--epochs", "2", "-b", "32", "--spark", "local[2]", "--shard-size", "8",
                "--progress", "never", "--no-tensorboard", "--out", tmp.resolve("s2").toString());
        Path c1 = tmp.resolve("s1").resolve(Checkpoints.LAST);
        try {
            assertArrayEquals(Files.readAllBytes(c1), Files.readAllBytes(tmp.resolve("s2").resolve(Checkpoints.LAST)));
            assertEquals(2, Checkpoints.load(c1).epoch());
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
        String eval = Cli.run("eval", tmp.resolve("s1").toString());
        assertTrue(eval.contains("test accuracy"), eval);
    }
}
