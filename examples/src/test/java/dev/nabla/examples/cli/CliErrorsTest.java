package dev.nabla.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
import dev.nabla.examples.Main;
import dev.nabla.train.Checkpoints;
import dev.nabla.ndarray.NDArray;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * What a person sees when something is wrong: one line {@code nabla: error: ...} naming the file or
 * option, the problem and the fix; exit status 2 for a usage error, 1 for a failure while running;
 * a stack trace only with NABLA_DEBUG=1.
 */
class CliErrorsTest {
    @TempDir
    Path tmp;

    /** Exactly one line on stderr, {@code nabla: error: ...}, no stack trace; returns it. */
    private static String oneErrorLine(Cli.Result r, int code) {
        assertEquals(code, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("nabla: error: "), r.err());
        assertFalse(r.err().contains("\tat "), "stack trace:\n" + r.err());
        assertFalse(r.err().matches("(?s).*\\b(java|dev)\\.[a-z.]+\\.[A-Z]\\w*(Exception|Error)\\b.*")
                && !r.err().contains("internal error"), "a class name instead of words:\n" + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        return r.err();
    }

    private static Cli.Result train(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "train";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--progress";
        all[args.length + 2] = "never";
        return Cli.exec(false, all);
    }

    // ---- 1: input problems while running (exit 1), never a stack trace ----

    @Test
    void aMissingDataDirIsAUsageErrorNamingIt() {
        Path run = tmp.resolve("run");
        String e = oneErrorLine(train("iris", "--data-dir", tmp.resolve("nope").toString(), "--out", run.toString()), 2);
        assertTrue(e.contains("--data-dir " + tmp.resolve("nope") + " does not exist; give the directory that holds the data"), e);
        assertFalse(Files.exists(run), "nothing created");
    }

    @Test
    void anEmptyDataDirNamesTheMissingFileAndTheFix() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        String e = oneErrorLine(train("iris", "--epochs", "1", "--data-dir", empty.toString(), "--out", tmp.resolve("r").toString()), 1);
        assertTrue(e.contains(empty.resolve("iris.csv").toString()), e);
        assertTrue(e.contains("--data-dir " + empty + " must hold the data files of iris"), e);
        assertTrue(e.contains("drop --data-dir"), e);
    }

    @Test
    void anEmptyMnistDataDirNamesTheDirectory() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        String e = oneErrorLine(train("mnist-mlp", "--epochs", "1", "--data-dir", empty.toString(), "--out", tmp.resolve("r").toString()), 1);
        assertTrue(e.contains(empty + ": MNIST: neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte"), e);
    }

    /** 100 training images cannot give the 5,000-image validation split (used to fail deep inside with a trace). */
    @Test
    void tooFewImagesForTheValidationSplitIsExplained() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mnist"));
        writeMnist(dir, "train", 100, false);
        writeMnist(dir, "t10k", 10, false);
        String e = oneErrorLine(train("mnist-mlp", "--epochs", "1", "--data-dir", dir.toString(), "--out", tmp.resolve("r").toString()), 1);
        assertTrue(e.contains(dir + ": the training set holds 100 images, but the validation split alone takes its last 5000"), e);
        assertTrue(e.contains("give the full training set"), e);
    }

    @Test
    void aCorruptGzipNamesTheFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mnist"));
        writeMnist(dir, "train", 6000, true);
        writeMnist(dir, "t10k", 10, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] b = Files.readAllBytes(images);
        b[10] = 0x07; // first deflate block: final, reserved block type 11
        Files.write(images, b);
        String e = oneErrorLine(train("mnist-mlp", "--epochs", "1", "--data-dir", dir.toString(), "--out", tmp.resolve("r").toString()), 1);
        assertTrue(e.contains(images.toString()), e);
        assertTrue(e.contains("corrupt gzip data"), e);
    }

    @Test
    void aRaggedCsvNamesTheFileAndLine() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("iris"));
        Files.writeString(dir.resolve("iris.csv"), "6,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,1\n"
                + "4.7,3.2,1.3,0.2,2\n1.0,2.0\n4.6,3.1,1.5,0.2,0\n5.0,3.6,1.4,0.2,1\n");
        String e = oneErrorLine(train("iris", "--epochs", "1", "--data-dir", dir.toString(), "--out", tmp.resolve("r").toString()), 1);
        assertTrue(e.contains(dir.resolve("iris.csv") + ", line 5"), e);
    }

    @Test
    void aCheckpointWithoutTheBestScoreIsRefusedWithAMessage() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, train("iris", "--epochs", "2", "--stop-after", "1", "--out", run.toString()).code());
        Path last = run.resolve(Checkpoints.LAST);
        Checkpoints.Contents c = Checkpoints.load(last);
        Map<String, NDArray> trainer = new LinkedHashMap<>(c.trainer);
        assertTrue(trainer.remove("best_score") != null, "the test needs a checkpoint that holds trainer.best_score");
        Checkpoints.save(last, new Checkpoints.Contents(c.model, c.optimizer, trainer, c.metadata));
        String e = oneErrorLine(Cli.exec(false, "train", "--resume", run.toString(), "--progress", "never"), 1);
        assertTrue(e.contains(last.toString()) && e.contains("best_score"), e);
    }

    /** A malformed number in checkpoint metadata used to be reported as Java's {@code For input string: "abc"}. */
    @Test
    void aMalformedNumberInCheckpointMetadataNamesTheKey() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, train("iris", "--epochs", "1", "--out", run.toString()).code());
        Path best = run.resolve(Checkpoints.BEST);
        Checkpoints.Contents c = Checkpoints.load(best);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata);
        meta.put("batch_size", "abc");
        Checkpoints.save(best, new Checkpoints.Contents(c.model, c.optimizer, c.trainer, meta));
        String e = oneErrorLine(Cli.exec(false, "eval", run.toString()), 1);
        assertTrue(e.contains("checkpoint metadata \"batch_size\" is \"abc\", not an integer"), e);
        assertFalse(e.contains("For input string"), e);
    }

    @Command(name = "oom")
    static final class OutOfMemory implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Command(name = "oom-in-thread")
    static final class OutOfMemoryInAThread implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("DataLoader: the prefetch thread failed", new OutOfMemoryError("Java heap space"));
        }
    }

    @Command(name = "bug")
    static final class Bug implements Callable<Integer> {
        @Override
        public Integer call() {
            Object o = null;
            return o.hashCode();
        }
    }

    private static Cli.Result execWith(Object command, String name, boolean debug) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8);
        CommandLine cl = Main.commandLine(out, err, debug);
        cl.addSubcommand(name, command);
        int code = Main.execute(cl, new String[] {name}, err, debug);
        return new Cli.Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** An OutOfMemoryError passes through picocli; it used to reach the JVM as "Exception in thread main". */
    @Test
    void outOfMemorySaysHowToGiveMoreHeap() {
        String e = oneErrorLine(execWith(new OutOfMemory(), "oom", false), 1);
        assertTrue(e.startsWith("nabla: error: out of memory (Java heap space; this JVM may use at most "), e);
        assertTrue(e.contains("try a larger heap with -Xmx via NABLA_JAVA_OPTS"), e);
        assertTrue(e.contains("or a smaller --batch-size"), e);
        e = oneErrorLine(execWith(new OutOfMemoryInAThread(), "oom-in-thread", false), 1);
        assertTrue(e.startsWith("nabla: error: out of memory (Java heap space;"), e);
    }

    @Test
    void aBugSaysSoAndTheStackTraceComesOnlyWithNablaDebug() {
        String e = oneErrorLine(execWith(new Bug(), "bug", false), 1);
        assertTrue(e.startsWith("nabla: error: internal error: java.lang.NullPointerException"), e);
        assertTrue(e.contains("rerun with NABLA_DEBUG=1"), e);
        Cli.Result debug = execWith(new Bug(), "bug", true);
        assertEquals(1, debug.code());
        assertTrue(debug.err().contains("\tat dev.nabla.examples.cli.CliErrorsTest$Bug.call"), debug.err());
        Cli.Result usageDebug = Cli.exec(true, "train", "--epochs", "abc");
        assertTrue(usageDebug.err().contains("\tat "), usageDebug.err());
    }

    // ---- exit statuses: 2 for usage errors ----

    @Test
    void usageErrorsExitWith2AndSayWhatIsExpected() {
        String e = oneErrorLine(Cli.exec(false, "train", "--epochs", "abc"), 2);
        assertTrue(e.contains("--epochs expects a positive integer, got \"abc\" (see `nabla train --help`)"), e);
        assertFalse(e.contains("For input string"), e);
        e = oneErrorLine(Cli.exec(false, "train", "--lr", "fast"), 2);
        assertTrue(e.contains("--lr expects a positive finite number, got \"fast\""), e);
        e = oneErrorLine(Cli.exec(false, "train", "--seed", "x1"), 2);
        assertTrue(e.contains("--seed expects an integer, got \"x1\""), e);
        e = oneErrorLine(Cli.exec(false, "eval", "--test-limit", "-3", "x"), 2);
        assertTrue(e.contains("--test-limit expects an integer >= 0, got \"-3\""), e);
        e = oneErrorLine(Cli.exec(false, "train", "--epoch", "3"), 2);
        assertTrue(e.contains("Unknown option: '--epoch'; did you mean --epochs?"), e);
        e = oneErrorLine(Cli.exec(false, "train", "--epochs"), 2);
        assertTrue(e.contains("--epochs"), e);
        e = oneErrorLine(Cli.exec(false, "eval"), 2);
        assertTrue(e.contains("Missing required parameter: 'PATH'"), e);
        e = oneErrorLine(Cli.exec(false, "train", "nope"), 2);
        assertTrue(e.contains("unknown model or study \"nope\""), e);
        e = oneErrorLine(Cli.exec(false, "gradcheck", "--op", "no-such-op"), 2);
        assertTrue(e.contains("--op: "), e);
        assertEquals(0, Cli.exec(false, "list").code());
    }

    // ---- 2: enum options ----

    @Test
    void optimizerScheduleAndDtypeListTheirValues() {
        String e = oneErrorLine(Cli.exec(false, "train", "--optimizer", "lbfgs"), 2);
        assertTrue(e.contains("--optimizer expects one of sgd, momentum, adagrad, rmsprop, adam, adamw, got \"lbfgs\""), e);
        e = oneErrorLine(Cli.exec(false, "train", "--schedule", "warm"), 2);
        assertTrue(e.contains("--schedule expects one of none, cosine, step, got \"warm\""), e);
        e = oneErrorLine(Cli.exec(false, "train", "--dtype", "f16"), 2);
        assertTrue(e.contains("--dtype expects one of float64, float32, got \"f16\""), e);
        e = oneErrorLine(Cli.exec(false, "train", "spiral", "--dtype", "float32"), 2);
        assertTrue(e.contains("spiral trains in float64 only"), e);
    }

    @Test
    void theEnumsNameWhatTheTrainerAccepts() {
        assertEquals(dev.nabla.examples.train.Optimizers.NAMES,
                java.util.Arrays.stream(Choices.Optimizer.values()).map(Enum::name).collect(java.util.stream.Collectors.toList()));
        assertEquals(dev.nabla.examples.train.Optimizers.SCHEDULES,
                java.util.Arrays.stream(Choices.Schedule.values()).map(Enum::name).collect(java.util.stream.Collectors.toList()));
    }

    // ---- 3: messages that say what is wrong with a path ----

    @Test
    void anOutThatIsAFileIsAUsageError() throws IOException {
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        String e = oneErrorLine(train("iris", "--out", file.toString()), 2);
        assertTrue(e.contains("--out " + file + " is a file, not a directory; give a directory for the run"), e);
        assertEquals("x", Files.readString(file));
    }

    @Test
    void anOutThatCannotBeCreatedSaysWhy() throws IOException {
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        Path under = file.resolve("run");
        String e = oneErrorLine(train("iris", "--out", under.toString()), 1);
        assertTrue(e.contains("cannot create --out " + under + ": " + file + " is a file, not a directory"), e);
        if (Files.isDirectory(Path.of("/proc/1"))) {
            e = oneErrorLine(train("iris", "--out", "/proc/1/x"), 1);
            assertTrue(e.startsWith("nabla: error: cannot create --out /proc/1/x: "), e);
            assertTrue(e.endsWith("; choose a directory you can write to" + System.lineSeparator()), e);
        }
    }

    @Test
    void evalOfAMissingPathIsAUsageError() {
        String e = oneErrorLine(Cli.exec(false, "eval", tmp.resolve("none").toString()), 2);
        assertTrue(e.contains(tmp.resolve("none") + " does not exist; pass the directory of a run"), e);
    }

    /** MNIST-format files with {@code n} images (all pixels i % 256) and labels i % 10. */
    private static void writeMnist(Path dir, String split, int n, boolean gzip) throws IOException {
        String suffix = gzip ? ".gz" : "";
        try (DataOutputStream out = new DataOutputStream(open(dir.resolve(split + "-images-idx3-ubyte" + suffix), gzip))) {
            out.writeInt(2051);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
            for (int i = 0; i < n; i++) {
                byte[] img = new byte[28 * 28];
                java.util.Arrays.fill(img, (byte) i);
                out.write(img);
            }
        }
        try (DataOutputStream out = new DataOutputStream(open(dir.resolve(split + "-labels-idx1-ubyte" + suffix), gzip))) {
            out.writeInt(2049);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(i % 10);
            }
        }
    }

    private static OutputStream open(Path p, boolean gzip) throws IOException {
        OutputStream o = Files.newOutputStream(p);
        return gzip ? new GZIPOutputStream(o) : o;
    }
}
