package dev.nabla.examples.train;

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

    /** Every tensor bitwise equal, except the wall-clock history. */
    private static void assertSameTensors(Map<String, NDArray> a, Map<String, NDArray> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            if (k.equals("history.time_s")) {
                continue;
            }
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
        RunConfig cfg = new RunConfig("spiral-test", 6, 32, 0.01, "adam", 1e-4, "cosine", 3, dir, null, 0, 0);
        RunContext ctx = new RunContext(cfg, RunContext.NULL, RunContext.NULL, false, resume);
        ArrayDataset data = Synthetic.spiral(new Random(1));
        Random trainRng = new Random(0);
        Module m = model(Seeds.random(cfg.seed, Seeds.INIT, 0), trainRng);
        Optimizer opt = Optimizers.create(cfg.optimizer, m.parameters(), cfg.lr, cfg.weightDecay);
        LrScheduler sched = Optimizers.schedule(cfg.schedule, opt, cfg.epochs);
        Trainer t = new Trainer(ctx, m, opt, sched, Objective.crossEntropy(), data.range(0, 240), data.range(240, 300),
                trainRng);
        if (crashAfter > 0) {
            t.listener((epoch, r) -> {
                if (epoch == crashAfter) {
                    throw new IllegalStateException("simulated crash");
                }
            });
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

    /** Reads "test accuracy NN.NN%" from command output. */
    static final class MnistLine {
        static String testAccuracy(String out) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("test accuracy (\\S+)%").matcher(out);
            assertTrue(m.find(), out);
            return m.group(1);
        }
    }
}
