package dev.nabla.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.train.Checkpoints;
import dev.nabla.train.MetricsLog;
import dev.nabla.optim.Adam;
import dev.nabla.examples.RunLayout;
import dev.nabla.train.ModelExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SineRnnTest {

    /**
     * {@code sine-rnn} for 4 epochs (200 Adam steps on windows of 24, batch 16, lr 0.01): the
     * one-step-ahead test MSE. Its floor is the noise variance σ² = 0.01 (targets are noisy); the
     * persistence baseline "next = last" scores 0.053. Measured 0.0184 for seed 0 (0.013-0.018
     * over seeds 0-4); asserted below 0.025 and below half the persistence baseline.
     */
    @Test
    void shortRunReachesTheStatedTestMse(@TempDir Path dir) throws Exception {
        RnnRunsForTests.Run run = RnnRunsForTests.run("sine-rnn", 4, 16, 0.01, 0, dir);
        double mse = new SineRnnExample().run(run.ctx());
        SineRnnExample.Data data = new SineRnnExample.Data(run.ctx().config);
        assertEquals(0.053, data.persistenceMse(), 0.005);
        assertTrue(mse < 0.025, "test MSE " + mse);
        assertTrue(mse < 0.5 * data.persistenceMse(), "test MSE " + mse + " vs persistence " + data.persistenceMse());
        assertTrue(mse > 0.005, "below the noise floor is impossible: " + mse);
        for (String f : new String[] {"prediction.png", "loss.png", Checkpoints.LAST, MetricsLog.JSONL}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertTrue(run.printed().contains("test MSE"), run.printed());
    }

    /** Same seed, same run: the metric logs agree bitwise (apart from wall times). */
    @Test
    void sameSeedSameRun(@TempDir Path tmp) throws Exception {
        String[] a = runLines(tmp.resolve("a"), 3);
        String[] b = runLines(tmp.resolve("b"), 3);
        String[] c = runLines(tmp.resolve("c"), 4);
        assertArrayEquals(a, b);
        assertTrue(!a[0].equals(c[0]), "another seed gives another run");
    }

    private static String[] runLines(Path dir, long seed) throws Exception {
        new SineRnnExample().run(RnnRunsForTests.run("sine-rnn", 2, 4, 0.01, seed, dir).ctx());
        return Files.readAllLines(dir.resolve(MetricsLog.JSONL)).stream()
                .map(l -> l.replaceAll(",\"time_s\":[^,}]*", "")).toArray(String[]::new);
    }

    /** The model's pieces: prediction length and alignment, the MSE it reports, and its errors. */
    @Test
    void predictionsAlignWithTheNextValue() {
        double[] s = new double[50];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.sin(i / 3.0);
        }
        SineRnn model = new SineRnn(4, new Random(9));
        double[] p = model.predictNext(s);
        assertEquals(49, p.length);
        double expect = 0;
        for (int i = 40; i < 50; i++) {
            expect += (p[i - 1] - s[i]) * (p[i - 1] - s[i]) / 10;
        }
        assertEquals(expect, model.mse(s, s, 40), 1e-15);
        // A prediction depends only on the past: changing value 30 leaves the predictions made before it alone.
        double[] s2 = s.clone();
        s2[30] = 5;
        double[] p2 = model.predictNext(s2);
        assertArrayEquals(Arrays.copyOf(p, 30), Arrays.copyOf(p2, 30));
        assertTrue(p2[30] != p[30]);
        Adam adam = new Adam(model.parameters(), 0.01);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.trainStep(new double[5], 8, 2, 1.0, adam, new Random(0)));
        assertTrue(e.getMessage().contains("windowLength + 1 = 9"), e.getMessage());
    }

    /**
     * The run layout of `nabla train sine-rnn --epochs 1`: config, summary (test_loss is the printed test
     * MSE; no validation split, so best_epoch is null), metrics, plots, last checkpoint and
     * model.safetensors, which loads into a fresh SineRnn and gives exactly summary.json's test MSE.
     */
    @Test
    void cliRunWritesTheCommonRunLayout(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        String out = dev.nabla.examples.Cli.run("train", "sine-rnn", "--epochs", "1", "--out", dir.toString(),
                "--progress", "never");
        java.util.Map<String, Object> s = RunLayout.check(dir, "sine-rnn", 1, "loss.png", "prediction.png");
        double mse = RunLayout.number(s, "test_loss");
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "test MSE %.5f", mse)), out);
        assertTrue(Double.isNaN(RunLayout.number(s, "test_acc")) && Double.isNaN(RunLayout.number(s, "best_epoch")), s.toString());
        assertEquals(0.053, RunLayout.number(s, "persistence_mse"), 0.005);
        SineRnn model = new SineRnn(SineRnnExample.HIDDEN, new Random(1));
        ModelExport.load(model, dir.resolve(ModelExport.FILE));
        SineRnnExample.Data data = new SineRnnExample.Data(RnnRunsForTests.run("sine-rnn", 1, 16, 0.01, 0, dir).ctx().config);
        assertEquals(mse, model.mse(data.series, data.series, data.cut), 0.0);
        java.util.List<String> steps = Files.readAllLines(dir.resolve(dev.nabla.train.Trainer.STEPS_JSONL));
        assertEquals(SineRnnExample.STEPS_PER_EPOCH, steps.size());
        assertTrue(steps.get(steps.size() - 1).startsWith("{\"epoch\":1,\"step\":" + SineRnnExample.STEPS_PER_EPOCH + ".0,\"loss\":"),
                steps.get(steps.size() - 1));
    }
}
