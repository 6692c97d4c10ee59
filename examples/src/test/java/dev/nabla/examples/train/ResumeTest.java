package dev.nabla.examples.train;

import dev.nabla.train.Callback;
import dev.nabla.train.CheckpointCallback;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.Objective;
import dev.nabla.train.Seeds;
import dev.nabla.train.Trainer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.ArrayDataset;
import dev.nabla.data.Synthetic;
import dev.nabla.examples.Cli;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run interrupted after an epoch and resumed from last.safetensors ends bitwise where an uninterrupted run ends. */
class ResumeTest {

    static String run(String... args) {
        return Cli.run(args);
    }

    /** Every tensor bitwise equal (checkpoints hold no wall-clock history). */
    private static void assertSameTensors(Map<String, NDArray> a, Map<String, NDArray> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertTrue(a.get(k).allClose(b.get(k), 0, 0), k + " differs: " + a.get(k) + " vs " + b.get(k));
        }
    }

    /** metrics.csv rows without the time column. */
    private static List<String> rowsWithoutTime(Path csv) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            out.add(line.substring(0, line.lastIndexOf(',')));
        }
        return out;
    }

    @Test
    void commandLineResumeOfTheMnistMlpIsBitwiseTheUninterruptedRun(@TempDir Path tmp) throws IOException {
        for (String dtype : new String[] {"float64", "float32"}) {
            resumeIsBitwise(tmp.resolve(dtype), dtype);
        }
    }

    private static void resumeIsBitwise(Path tmp, String dtype) throws IOException {
        Path straight = tmp.resolve("straight");
        Path resumed = tmp.resolve("resumed");
        String[] common = {"--epochs", "3", "--train-limit", "1000", "--test-limit", "300", "--seed", "7", "--progress", "never",
            "--dtype", dtype};
        String a = run(concat(new String[] {"train", "mnist-mlp", "--out", straight.toString()}, common));
        String stop = run(concat(new String[] {"train", "mnist-mlp", "--out", resumed.toString(), "--stop-after", "1"}, common));
        assertTrue(stop.contains("stopped after epoch 1 of 3; continue with: nabla train --resume " + resumed), stop);
        assertEquals(2, Files.readAllLines(resumed.resolve("metrics.csv")).size());
        String b = run("train", "--resume", resumed.toString(), "--progress", "never");
        assertTrue(b.contains("resumed from " + resumed.resolve("last.safetensors") + " at epoch 1"), b);

        for (String f : new String[] {Checkpoints.LAST, Checkpoints.BEST}) {
            Checkpoints.Contents x = Checkpoints.load(straight.resolve(f));
            Checkpoints.Contents y = Checkpoints.load(resumed.resolve(f));
            assertSameTensors(x.model, y.model);
            assertSameTensors(x.optimizer, y.optimizer);
            assertSameTensors(x.trainer, y.trainer);
            assertEquals(x.metadata.get("epoch"), y.metadata.get("epoch"));
            assertEquals(dtype, y.model.get("0.weight").dtype().numpyName());
        }
        assertEquals(rowsWithoutTime(straight.resolve("metrics.csv")), rowsWithoutTime(resumed.resolve("metrics.csv")));
        assertEquals(4, Files.readAllLines(resumed.resolve("metrics.jsonl")).size() + 1);
        assertEquals(MnistLine.testAccuracy(a), MnistLine.testAccuracy(b));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** A model with dropout (draws from the trainer-reseeded generator) and batch norm (running statistics buffers). */
    private static Module model(Random init, Random train) {
        return new Sequential(new Linear(2, 16, init), new BatchNorm1d(16), new ReLU(), new Dropout(0.3, train),
                new Linear(16, 3, init));
    }

    /** Trains on the spiral; {@code crashAfter} > 0 throws from the listener after that epoch. */
    private static Map<String, NDArray> trainSpiral(Path dir, Path resume, int crashAfter) throws IOException {
        return trainSpiral(dir, resume, crashAfter, 0, null);
    }

    /**
     * As above, stopping after epoch {@code stopAfter} (0: all 6) and telling {@code hook} of every
     * checkpoint write; with a hook, validated on a class-balanced set, so that best improves over several epochs.
     */
    private static Map<String, NDArray> trainSpiral(Path dir, Path resume, int crashAfter, int stopAfter,
                                                    CheckpointCallback.SaveHook hook) throws IOException {
        RunConfig cfg = new RunConfig("spiral-test", 6, 32, 0.01, "adam", 1e-4, "cosine", 3, dir, null, 0, 0);
        RunContext ctx = new RunContext(cfg, RunContext.NULL, RunContext.NULL, false, resume, java.util.Set.of(), stopAfter);
        ArrayDataset data = Synthetic.spiral(new Random(1));
        Random trainRng = new Random(0);
        Module m = model(Seeds.random(cfg.seed, Seeds.INIT, 0), trainRng);
        Optimizer opt = Optimizers.create(cfg.optimizer, m.parameters(), cfg.lr, cfg.weightDecay);
        LrScheduler sched = Optimizers.schedule(cfg.schedule, opt, cfg.epochs);
        ArrayDataset val = hook != null ? data.range(0, 240) : data.range(240, 300);
        Trainer.Builder b = ctx.trainer(m, opt).schedule(sched).train(data.range(0, 240)).validation(val).modelRng(trainRng);
        if (crashAfter > 0) {
            b.callback(Callback.atEpochEnd(c -> {
                if (c.epoch() == crashAfter) {
                    throw new IllegalStateException("simulated crash");
                }
            }));
        }
        Trainer t = b.build();
        if (hook != null) {
            t.checkpointCallback().afterSave(hook);
        }
        t.fit();
        return m.stateDict();
    }

    @Test
    void trainerResumeWithDropoutBatchNormAdamAndCosineIsBitwise(@TempDir Path tmp) throws IOException {
        Map<String, NDArray> straight = trainSpiral(tmp.resolve("a"), null, 0);
        assertThrows(IllegalStateException.class, () -> trainSpiral(tmp.resolve("b"), null, 4));
        Map<String, NDArray> resumed = trainSpiral(tmp.resolve("b"), tmp.resolve("b"), 0);
        assertSameTensors(straight, resumed);
        assertTrue(straight.containsKey("1.running_mean"), straight.keySet().toString());
        assertEquals(rowsWithoutTime(tmp.resolve("a/metrics.csv")), rowsWithoutTime(tmp.resolve("b/metrics.csv")));

    }

    /**
     * A checkpoint without trainer.best_score, or with a best_epoch that is not an epoch of the run,
     * fails on resume with a message naming the file and the entry (best_epoch was cast from any double).
     */
    @Test
    void damagedTrainerStateFailsOnResumeWithAMessage(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        trainSpiral(a, null, 0, 2, null);
        Path last = a.resolve(Checkpoints.LAST);
        Map<String, NDArray> tensors = dev.nabla.ndarray.io.Safetensors.load(last);
        Map<String, String> meta = dev.nabla.ndarray.io.Safetensors.loadMetadata(last);
        Map<String, NDArray> noBest = new java.util.LinkedHashMap<>(tensors);
        assertTrue(noBest.remove("trainer.best_score") != null, tensors.keySet().toString());
        Path b = Files.createDirectories(tmp.resolve("b"));
        dev.nabla.ndarray.io.Safetensors.save(b.resolve(Checkpoints.LAST), noBest, meta);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainSpiral(b, b, 0));
        assertEquals("--resume: " + b.resolve(Checkpoints.LAST) + " lacks the trainer state \"trainer.best_score\" (one"
                + " number); it was not written by `nabla train` of this version, or is damaged; start a new run",
                e.getMessage());
        Map<String, NDArray> badEpoch = new java.util.LinkedHashMap<>(tensors);
        badEpoch.put("trainer.best_epoch", NDArray.of(new double[] {1e300}, 1));
        Path c = Files.createDirectories(tmp.resolve("c"));
        dev.nabla.ndarray.io.Safetensors.save(c.resolve(Checkpoints.LAST), badEpoch, meta);
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> trainSpiral(c, c, 0));
        assertTrue(f.getMessage().contains("the trainer state \"trainer.best_epoch\" is 1.0E300, not an epoch in [0, 2]"),
                f.getMessage());
    }

    /** Simulated crash of the process between two checkpoint writes. */
    private static final class Crash extends IOException {
        private static final long serialVersionUID = 1L;

        Crash(String m) {
            super(m);
        }
    }

    private static final CheckpointCallback.SaveHook NO_HOOK = (file, epoch) -> { };

    private static void assertSameBytes(Path a, Path b) throws IOException {
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), a + " and " + b + " differ");
    }

    /**
     * A crash right after best.safetensors of an improving epoch and before its last.safetensors
     * (best one epoch ahead of last): the resumed run ends with checkpoints byte-identical to the
     * uninterrupted run's, best included.
     */
    @Test
    void aCrashBetweenWritingBestAndLastIsRecovered(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        List<Integer> improved = new ArrayList<>();
        trainSpiral(a, null, 0, 0, (file, epoch) -> {
            if (file.equals(Checkpoints.BEST)) {
                improved.add(epoch);
            }
        });
        int crashEpoch = improved.stream().filter(e -> e >= 2).findFirst().orElseThrow();
        assertThrows(Crash.class, () -> trainSpiral(b, null, 0, 0, (file, epoch) -> {
            if (file.equals(Checkpoints.BEST) && epoch == crashEpoch) {
                throw new Crash("killed after writing best of epoch " + epoch);
            }
        }));
        assertEquals(crashEpoch, Checkpoints.load(b.resolve(Checkpoints.BEST)).epoch());
        assertEquals(crashEpoch - 1, Checkpoints.load(b.resolve(Checkpoints.LAST)).epoch());
        trainSpiral(b, b, 0, 0, NO_HOOK);
        assertSameBytes(a.resolve(Checkpoints.LAST), b.resolve(Checkpoints.LAST));
        assertSameBytes(a.resolve(Checkpoints.BEST), b.resolve(Checkpoints.BEST));
        assertEquals(rowsWithoutTime(a.resolve("metrics.csv")), rowsWithoutTime(b.resolve("metrics.csv")));
    }

    /**
     * The crash of the old order (last written as the new best, best not yet): resuming repairs
     * best from last before training on, so best is never stale.
     */
    @Test
    void aStaleBestBehindALastThatIsItsOwnBestIsRepairedOnResume(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a");
        List<Integer> improved = new ArrayList<>();
        trainSpiral(a, null, 0, 0, (file, epoch) -> {
            if (file.equals(Checkpoints.BEST)) {
                improved.add(epoch);
            }
        });
        int e = improved.stream().filter(x -> x >= 2).findFirst().orElseThrow();
        Path c = tmp.resolve("c");
        Path older = tmp.resolve("best-of-epoch-1.safetensors");
        trainSpiral(c, null, 0, e, (file, epoch) -> {
            if (file.equals(Checkpoints.BEST) && epoch == 1) {
                Files.copy(c.resolve(Checkpoints.BEST), older);
            }
        });
        Files.copy(older, c.resolve(Checkpoints.BEST), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(1, Checkpoints.load(c.resolve(Checkpoints.BEST)).epoch());
        // resume without training further: only the reconciliation runs
        trainSpiral(c, c, 0, e, NO_HOOK);
        assertSameBytes(c.resolve(Checkpoints.LAST), c.resolve(Checkpoints.BEST));
        assertEquals(e, Checkpoints.load(c.resolve(Checkpoints.BEST)).epoch());
        trainSpiral(c, c, 0, 0, NO_HOOK);
        assertSameBytes(a.resolve(Checkpoints.BEST), c.resolve(Checkpoints.BEST));
        assertSameBytes(a.resolve(Checkpoints.LAST), c.resolve(Checkpoints.LAST));
    }

    /** Two runs with the same seed write byte-identical checkpoints (no wall-clock figures in them). */
    @Test
    void theSameSeedGivesByteIdenticalCheckpoints(@TempDir Path tmp) throws IOException {
        trainSpiral(tmp.resolve("x"), null, 0);
        trainSpiral(tmp.resolve("y"), null, 0);
        for (String f : new String[] {Checkpoints.LAST, Checkpoints.BEST}) {
            assertSameBytes(tmp.resolve("x").resolve(f), tmp.resolve("y").resolve(f));
            assertTrue(!Checkpoints.load(tmp.resolve("x").resolve(f)).trainer.containsKey("history.time_s"));
        }
        assertEquals(7, Files.readAllLines(tmp.resolve("x/metrics.csv")).size(), "the times stay in the metrics log");
        assertTrue(Files.readAllLines(tmp.resolve("x/metrics.csv")).get(0).endsWith(",time_s"));
    }

    /** Reads "test accuracy NN.NN%" from command output. */
    static final class MnistLine {
        static String testAccuracy(String out) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("test accuracy (\\S+)%").matcher(out);
            assertTrue(m.find(), out);
            return m.group(1);
        }
    }
}
