package dev.nabla.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Examples;
import dev.nabla.examples.Main;
import dev.nabla.examples.train.RunConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliParsingTest {
    private static final PrintStream SINK = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private static TrainCommand parseTrain(String... args) {
        CommandLine cl = Main.commandLine(SINK, SINK);
        CommandLine.ParseResult pr = cl.parseArgs(args);
        assertTrue(pr.hasSubcommand(), "expected a subcommand in " + List.of(args));
        return (TrainCommand) pr.subcommand().commandSpec().userObject();
    }

    @Test
    void noModelMeansTheMnistMlpWithItsDefaults() throws IOException {
        TrainCommand t = parseTrain("train");
        RunConfig c = t.resolve();
        assertEquals("mnist-mlp", c.model);
        assertEquals(10, c.epochs);
        assertEquals(100, c.batchSize);
        assertEquals(0.1, c.lr);
        assertEquals("momentum", c.optimizer);
        assertEquals("cosine", c.schedule);
        assertEquals(0.0, c.weightDecay);
        assertEquals(0L, c.seed);
        assertNull(c.dataDir);
        assertTrue(c.outDir.toString().startsWith("runs" + java.io.File.separator + "mnist-mlp-"), c.outDir.toString());
    }

    @Test
    void everyOptionIsParsed() throws IOException {
        TrainCommand t = parseTrain("train", "iris", "--epochs", "7", "-b", "12", "--lr", "0.003", "--optimizer", "AdamW",
                "--weight-decay", "1e-4", "--schedule", "step", "--seed", "42", "--out", "o", "--data-dir", "d",
                "--train-limit", "50", "--test-limit", "20", "--progress", "never");
        RunConfig c = t.resolve();
        assertEquals("iris", c.model);
        assertEquals(7, c.epochs);
        assertEquals(12, c.batchSize);
        assertEquals(0.003, c.lr);
        assertEquals("adamw", c.optimizer);
        assertEquals(1e-4, c.weightDecay);
        assertEquals("step", c.schedule);
        assertEquals(42L, c.seed);
        assertEquals(Path.of("o"), c.outDir);
        assertEquals(Path.of("d"), c.dataDir);
        assertEquals(50, c.trainLimit);
        assertEquals(20, c.testLimit);
        assertEquals(TrainCommand.Progress.never, t.progress);
    }

    @Test
    void aliasesResolveToTheModelName() throws IOException {
        assertEquals("gates", parseTrain("train", "xor").resolve().model);
        assertEquals("breast-cancer", parseTrain("train", "breast_cancer").resolve().model);
    }

    @Test
    void unknownModelNamesTheClosestAndTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parseTrain("train", "mnist-mpl").resolve());
        assertTrue(e.getMessage().contains("did you mean \"mnist-mlp\""), e.getMessage());
        assertTrue(e.getMessage().contains("spiral"), e.getMessage());
    }

    @Test
    void badValuesAreRejectedWithTheOptionNamed() {
        // unknown names and out-of-range numbers are parse errors now (exit 2, see CliErrorsTest)
        assertThrows(CommandLine.ParameterException.class, () -> parseTrain("train", "--optimizer", "lbfgs"));
        assertThrows(CommandLine.ParameterException.class, () -> parseTrain("train", "--lr", "-1"));
        assertThrows(CommandLine.ParameterException.class, () -> parseTrain("train", "--batch-size", "0"));
        assertThrows(CommandLine.ParameterException.class, () -> parseTrain("train", "--schedule", "warm"));
        assertThrows(CommandLine.ParameterException.class, () -> parseTrain("train", "--epochs", "many"));
        assertThrows(CommandLine.UnmatchedArgumentException.class, () -> parseTrain("train", "--epoch", "3"));
    }

    @Test
    void exitCodesAndMessagesOfTheWholeCommandLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"list"}, o, e));
        String listed = out.toString(StandardCharsets.UTF_8);
        for (String name : List.of("mnist-mlp", "gates (xor)", "spiral", "breast-cancer", "iris")) {
            assertTrue(listed.contains(name), name + " missing from:\n" + listed);
        }
        assertEquals(2, Main.run(new String[] {"train", "nope"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("nabla: error: unknown model or study \"nope\""),
                err.toString(StandardCharsets.UTF_8));
        assertNotEquals(0, Main.run(new String[] {"train", "--no-such-option"}, o, e));
        assertEquals(0, Main.run(new String[] {"--help"}, o, e));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("gradcheck"));
    }

    @Test
    void everyExampleIsReachableByNameAndListed() {
        for (var example : Examples.all()) {
            assertEquals(example.name(), Examples.byName(example.name()).name());
            for (String alias : example.aliases()) {
                assertEquals(example.name(), Examples.byName(alias).name(), "alias " + alias);
            }
        }
        assertEquals("gates", Examples.byName("xor").name());
        assertEquals("resnet-study", Examples.byName("residual-study").name());
        assertEquals(Examples.all().size(), Examples.all().stream().map(x -> x.name()).distinct().count());
    }

    @Test
    void resumeRefusesOptionsThatContradictTheCheckpoint(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"train", "iris", "--epochs", "2", "--out", dir.toString(), "--progress", "never"},
                o, o), out.toString(StandardCharsets.UTF_8));
        TrainCommand t = parseTrain("train", "--resume", dir.toString(), "--lr", "0.5", "--optimizer", "adam");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, t::resolve);
        assertTrue(e.getMessage().contains("--lr 0.5 (checkpoint: 0.1)"), e.getMessage());
        assertTrue(e.getMessage().contains("--optimizer adam (checkpoint: sgd)"), e.getMessage());
        RunConfig resumed = parseTrain("train", "--resume", dir.toString(), "--epochs", "5").resolve();
        assertEquals("iris", resumed.model);
        assertEquals(5, resumed.epochs);
        assertEquals(dir, resumed.outDir);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> parseTrain("train", "--resume", dir.resolve("nothing-here").toString()).resolve());
        assertTrue(missing.getMessage().contains("last.safetensors does not exist"), missing.getMessage());
    }
}
