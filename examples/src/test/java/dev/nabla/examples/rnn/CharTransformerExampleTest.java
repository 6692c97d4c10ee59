package dev.nabla.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.CharCorpus;
import dev.nabla.examples.Examples;
import dev.nabla.examples.Main;
import dev.nabla.examples.RunLayout;
import dev.nabla.ndarray.NDArray;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.MetricsLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharTransformerExampleTest {
    /** The first 20,000 characters of Tiny Shakespeare: 18,000 train, 2,000 validate. */
    private static CharCorpus small;
    /** Width 16, 2 heads, 1 layer (feed-forward 32), windows of 16, 40 steps per epoch with 10 warm-up steps. */
    private static final CharTransformerExample.Settings TINY =
            new CharTransformerExample.Settings(16, 2, 1, 32, 16, 3, 40, 10, 1.0, 0.0, 40, 0.8, 8);

    @BeforeAll
    static void corpus() {
        small = CharCorpus.of(CharCorpus.tinyShakespeare().text().substring(0, 20_000));
    }

    private static String[] metricLines(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve(MetricsLog.JSONL)).stream()
                .map(l -> l.replaceAll(",\"time_s\":[^,}]*", "")).toArray(String[]::new);
    }

    private static double[] valLosses(Path dir) throws Exception {
        String[] lines = metricLines(dir);
        double[] val = new double[lines.length];
        for (int i = 0; i < lines.length; i++) {
            val[i] = Double.parseDouble(lines[i].replaceAll(".*\"val_loss\":([^,}]*).*", "$1"));
        }
        return val;
    }

    /**
     * 3 epochs of 40 steps (batch 8 × 16 characters, Adam 0.01) on 18,000 characters. Measured:
     * validation loss 3.18, 2.87, 2.72 nats/char (uniform guess: ln 58 ≈ 4.06). Asserted: the first
     * is 0.5 below the uniform guess, each epoch lowers it and the last is below 2.85; the run
     * directory has the common layout.
     */
    @Test
    void tinyRunLowersValidationLossAndWritesItsFiles(@TempDir Path dir) throws Exception {
        RnnRunsForTests.Run run = RnnRunsForTests.run("char-transformer", 3, 8, 0.01, 1, dir);
        double best = new CharTransformerExample().train(run.ctx(), small, TINY);
        double[] val = valLosses(dir);
        assertEquals(3, val.length);
        assertTrue(val[0] < Math.log(small.vocabulary().size()) - 0.5, "epoch 1 " + val[0]);
        assertTrue(val[1] < val[0] && val[2] < val[1], java.util.Arrays.toString(val));
        assertTrue(val[2] < 2.85, "last validation loss " + val[2]);
        assertEquals(val[2], best, 1e-12);
        for (String f : new String[] {"loss.png", Checkpoints.LAST, Checkpoints.BEST, MetricsLog.CSV}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        Map<String, Object> s = RunLayout.check(dir, "char-transformer", 3, "loss.png", Checkpoints.BEST);
        assertEquals(best, RunLayout.number(s, "best_val_loss"), 0.0);
        String printed = run.printed();
        assertTrue(printed.contains("sample (temperature 0.8)") && printed.contains("bits/char"), printed);
        // the PyTorch transformer layout of the layers in the state dict
        Map<String, NDArray> model = Checkpoints.load(dir.resolve(Checkpoints.BEST)).model;
        for (String k : List.of("embedding.weight", "position.pe", "encoder.layers.0.self_attn.in_proj_weight",
                "encoder.layers.0.self_attn.out_proj.weight", "encoder.layers.0.linear1.weight", "encoder.layers.0.norm2.bias",
                "encoder.norm.weight", "head.weight")) {
            assertTrue(model.containsKey(k), k + " in " + model.keySet());
        }
        assertArrayEquals(new int[] {48, 16}, model.get("encoder.layers.0.self_attn.in_proj_weight").shape());
    }

    /** Same seed, same result: two runs give the same metrics (wall time aside) and the same checkpoint bytes. */
    @Test
    void sameSeedSameResult(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        new CharTransformerExample().train(RnnRunsForTests.run("char-transformer", 1, 8, 0.01, 5, a).ctx(), small, TINY);
        new CharTransformerExample().train(RnnRunsForTests.run("char-transformer", 1, 8, 0.01, 5, b).ctx(), small, TINY);
        assertArrayEquals(metricLines(a), metricLines(b));
        assertArrayEquals(Files.readAllBytes(a.resolve(Checkpoints.LAST)), Files.readAllBytes(b.resolve(Checkpoints.LAST)));
    }

    /** Stopping after epoch 1 and resuming gives bitwise the run that never stopped (weights, optimizer, cursor, warm-up). */
    @Test
    void resumedRunIsBitwiseTheUninterruptedOne(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        Path stopped = tmp.resolve("stopped");
        CharTransformerExample.Settings longWarmup = new CharTransformerExample.Settings(16, 2, 1, 32, 16, 3, 20, 30, 1.0, 0.0,
                10, 0.8, 8);
        new CharTransformerExample().train(RnnRunsForTests.run("char-transformer", 2, 8, 0.01, 3, straight).ctx(), small,
                longWarmup);
        new CharTransformerExample().train(RnnRunsForTests.run("char-transformer", 2, 8, 0.01, 3, stopped, 0, 0, null, 1)
                .ctx(), small, longWarmup);
        RnnRunsForTests.Run resumed = RnnRunsForTests.run("char-transformer", 2, 8, 0.01, 3, stopped, 0, 0, stopped, 0);
        new CharTransformerExample().train(resumed.ctx(), small, longWarmup);
        assertTrue(resumed.printed().contains("resumed from"), resumed.printed());
        Checkpoints.Contents x = Checkpoints.load(straight.resolve(Checkpoints.LAST));
        Checkpoints.Contents y = Checkpoints.load(stopped.resolve(Checkpoints.LAST));
        assertEquals(2, y.epoch());
        for (Map.Entry<String, NDArray> e : x.model.entrySet()) {
            assertArrayEquals(e.getValue().toArray(), y.model.get(e.getKey()).toArray(), e.getKey());
        }
        assertArrayEquals(metricLines(straight), metricLines(stopped));
        assertEquals(Files.readAllLines(straight.resolve(dev.nabla.train.Trainer.STEPS_JSONL)),
                Files.readAllLines(stopped.resolve(dev.nabla.train.Trainer.STEPS_JSONL)));
    }

    /** {@code nabla generate} samples from a char-transformer run too: reproducible per seed, prime first. */
    @Test
    void generateSamplesFromATransformerCheckpoint(@TempDir Path dir) throws Exception {
        new CharTransformerExample().train(RnnRunsForTests.run("char-transformer", 1, 8, 0.01, 1, dir).ctx(), small, TINY);
        String a = generate("generate", dir.toString(), "--length", "60", "--seed", "7");
        assertEquals(a, generate("generate", dir.toString(), "--length", "60", "--seed", "7"));
        assertNotEquals(a, generate("generate", dir.toString(), "--length", "60", "--seed", "8"));
        assertEquals(61, a.length(), "60 characters after the default prime (a newline, not printed) and a final newline");
        String primed = generate("generate", dir.toString(), "--prime", "ROMEO:", "-n", "30");
        assertTrue(primed.startsWith("ROMEO:") && primed.length() == 37, primed);
        CharTransformerExample.Loaded l = CharTransformerExample.load(dir.resolve(Checkpoints.BEST), "test");
        assertEquals(TINY, l.settings());
        // a prime longer than the context: the model sees its last 16 characters
        assertEquals(5, l.generate("x".repeat(40).replace('x', 'a'), 5, 1.0, 0).length());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CharLstmExample.load(dir.resolve(Checkpoints.BEST), "generate"));
        assertTrue(e.getMessage().contains("not of char-lstm"), e.getMessage());
    }

    /** The causal shift against a direct loop, and its gradients (input and weight) against central differences. */
    @Test
    void causalShiftIsTheCausalDepthwiseConvolution() {
        java.util.Random r = new java.util.Random(3);
        CausalShift shift = new CausalShift(2, 3, r);
        NDArray x = NDArray.randn(r, 2, 4, 3);
        NDArray y = shift.call(new dev.nabla.autograd.Variable(x)).data();
        NDArray w = shift.namedParameters().get("weight").data();
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < 4; t++) {
                for (int c = 0; c < 3; c++) {
                    double expected = x.get(n, t, c);
                    for (int j = 1; j <= 2; j++) {
                        expected += t - j >= 0 ? w.get(j - 1, c) * x.get(n, t - j, c) : 0;
                    }
                    assertEquals(expected, y.get(n, t, c), 1e-14, "(" + n + ", " + t + ", " + c + ")");
                }
            }
        }
        dev.nabla.autograd.GradCheck.check(v -> shift.call(v[0]), x).orThrow();
        dev.nabla.autograd.GradGradCheck.check(v -> shift.call(v[0]), x).orThrow();
        dev.nabla.autograd.GradCheck.checkParameters(() -> shift.call(new dev.nabla.autograd.Variable(x)).square().sum(),
                shift.namedParameters()).orThrow();
        // a window shorter than the taps
        NDArray one = NDArray.randn(r, 1, 1, 3);
        assertArrayEquals(one.toArray(), shift.call(new dev.nabla.autograd.Variable(one)).data().toArray());
    }

    @Test
    void isRegisteredWithItsDefaults() {
        assertEquals("char-transformer", Examples.byName("char-transformer").name());
        assertTrue(Examples.byName("char-transformer").canEvaluate());
    }

    private static String generate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
