package dev.nabla.examples.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.CharCorpus;
import dev.nabla.examples.Main;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.MetricsLog;
import dev.nabla.ndarray.NDArray;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import dev.nabla.examples.RunLayout;
import dev.nabla.train.ModelExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharLstmExampleTest {
    /** The first 20,000 characters of Tiny Shakespeare: 18,000 train, 2,000 validate. */
    private static CharCorpus small;
    /** A small model and short epochs: embedding 8, LSTM 32, blocks of 16, 40 steps per epoch. */
    private static final CharLstmExample.Settings TINY = new CharLstmExample.Settings(8, 32, 1, 16, 40, 5.0, 40, 0.8, 8, 32);

    @BeforeAll
    static void corpus() {
        small = CharCorpus.of(CharCorpus.tinyShakespeare().text().substring(0, 20_000));
    }

    private static String[] metricLines(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve(MetricsLog.JSONL)).stream()
                .map(l -> l.replaceAll(",\"time_s\":[^,}]*", "")).toArray(String[]::new);
    }

    /**
     * 3 epochs of 40 steps (batch 8 × 16 characters, Adam 0.01) on 18,000 characters. Measured:
     * validation loss 3.20, 2.84, 2.66 nats/char (uniform guess: ln 58 ≈ 4.06). Asserted: each epoch
     * lowers it, and the last is below 2.9. Files: metrics, loss plot, last and best checkpoints.
     */
    @Test
    void tinyRunLowersValidationLossAndWritesItsFiles(@TempDir Path dir) throws Exception {
        RnnRunsForTests.Run run = RnnRunsForTests.run("char-lstm", 3, 8, 0.01, 1, dir);
        double best = new CharLstmExample().train(run.ctx(), small, TINY);
        String[] lines = metricLines(dir);
        assertEquals(3, lines.length);
        double[] val = new double[3];
        for (int i = 0; i < 3; i++) {
            val[i] = Double.parseDouble(lines[i].replaceAll(".*\"val_loss\":([^,}]*).*", "$1"));
        }
        assertTrue(val[0] < Math.log(small.vocabulary().size()) - 0.5, "epoch 1 " + val[0]);
        assertTrue(val[1] < val[0] && val[2] < val[1], java.util.Arrays.toString(val));
        assertTrue(val[2] < 2.9, "last validation loss " + val[2]);
        assertEquals(val[2], best, 1e-12);
        for (String f : new String[] {"loss.png", Checkpoints.LAST, Checkpoints.BEST, MetricsLog.CSV}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        // the common run layout: summary.json holds the best validation figures (no test split), and
        // model.safetensors is best.safetensors' model part in the export format, with what generate needs
        java.util.Map<String, Object> s = RunLayout.check(dir, "char-lstm", 3, "loss.png", Checkpoints.BEST);
        assertEquals(best, RunLayout.number(s, "best_val_loss"), 0.0);
        assertEquals(3, RunLayout.number(s, "best_epoch"), 0.0);
        assertTrue(Double.isNaN(RunLayout.number(s, "test_loss")), s.toString());
        java.util.Map<String, dev.nabla.ndarray.NDArray> exported = dev.nabla.ndarray.io.Safetensors.load(dir.resolve(ModelExport.FILE));
        java.util.Map<String, dev.nabla.ndarray.NDArray> bestModel = Checkpoints.load(dir.resolve(Checkpoints.BEST)).model;
        assertEquals(bestModel.keySet(), exported.keySet());
        for (String k : bestModel.keySet()) {
            assertArrayEquals(bestModel.get(k).toArray(), exported.get(k).toArray(), 0.0, k);
        }
        assertEquals(small.vocabulary().symbols(),
                dev.nabla.ndarray.io.Safetensors.loadMetadata(dir.resolve(ModelExport.FILE)).get("vocabulary"));
        String printed = run.printed();
        assertTrue(printed.contains("sample (temperature 0.8)"), printed);
        assertTrue(printed.contains("val loss") && printed.contains("bits/char"), printed);
    }

    /** Stopping after epoch 1 and resuming gives bitwise the run that never stopped (state, cursor, optimizer). */
    @Test
    void resumedRunIsBitwiseTheUninterruptedOne(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        Path stopped = tmp.resolve("stopped");
        new CharLstmExample().train(RnnRunsForTests.run("char-lstm", 2, 8, 0.01, 3, straight).ctx(), small, TINY);
        new CharLstmExample().train(RnnRunsForTests.run("char-lstm", 2, 8, 0.01, 3, stopped, 0, 0, null, 1).ctx(),
                small, TINY);
        assertEquals(1, Checkpoints.load(stopped.resolve(Checkpoints.LAST)).epoch());
        RnnRunsForTests.Run resumed = RnnRunsForTests.run("char-lstm", 2, 8, 0.01, 3, stopped, 0, 0, stopped, 0);
        new CharLstmExample().train(resumed.ctx(), small, TINY);
        assertTrue(resumed.printed().contains("resumed from"), resumed.printed());
        Checkpoints.Contents a = Checkpoints.load(straight.resolve(Checkpoints.LAST));
        Checkpoints.Contents b = Checkpoints.load(stopped.resolve(Checkpoints.LAST));
        assertEquals(2, b.epoch());
        assertEquals(a.model.keySet(), b.model.keySet());
        for (Map.Entry<String, NDArray> e : a.model.entrySet()) {
            assertArrayEquals(e.getValue().toArray(), b.model.get(e.getKey()).toArray(), e.getKey());
        }
        for (String k : List.of("state.h", "state.c", "cursor")) {
            assertArrayEquals(a.trainer.get(k).toArray(), b.trainer.get(k).toArray(), k);
        }
        assertArrayEquals(metricLines(straight), metricLines(stopped));
        // the per-step log continues too: 2 epochs of 40 steps, steps 1..80, the same losses as without the stop
        List<String> steps = Files.readAllLines(stopped.resolve(dev.nabla.train.Trainer.STEPS_JSONL));
        assertEquals(Files.readAllLines(straight.resolve(dev.nabla.train.Trainer.STEPS_JSONL)), steps);
        assertEquals(80, steps.size());
        assertTrue(steps.get(79).startsWith("{\"epoch\":2,\"step\":80.0,\"loss\":"), steps.get(79));
    }

    /** {@code nabla generate} reproduces its text bitwise for a seed, prints the prime first, and rejects unknown characters. */
    @Test
    void generateIsReproducibleFromACheckpoint(@TempDir Path dir) throws Exception {
        new CharLstmExample().train(RnnRunsForTests.run("char-lstm", 1, 8, 0.01, 1, dir).ctx(), small, TINY);
        String a = generate(0, "generate", dir.toString(), "--length", "120", "--seed", "7");
        String b = generate(0, "generate", dir.toString(), "--length", "120", "--seed", "7");
        String c = generate(0, "generate", dir.resolve(Checkpoints.LAST).toString(), "--length", "120", "--seed", "8");
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(121, a.length(), "120 characters after the default prime (a newline, not printed) and a final newline");
        String primed = generate(0, "generate", dir.toString(), "--prime", "ROMEO:", "-n", "30", "-t", "0.5");
        assertTrue(primed.startsWith("ROMEO:") && primed.length() == 37, primed);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"generate", dir.toString(), "--prime", "caf\u00e9"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.contains("--prime") && msg.contains("position 3"), msg);
        code = Main.run(new String[] {"generate", dir.resolve("nothing").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
    }

    private static String generate(int expectedCode, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedCode, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The vocabulary travels in the checkpoint's JSON metadata: quotes, backslashes, tabs, newlines,
     * accents and characters outside the BMP come back intact, and a checkpoint of another model is
     * refused by name.
     */
    @Test
    void vocabularyRoundTripsThroughTheCheckpoint(@TempDir Path dir) throws Exception {
        CharCorpus odd = CharCorpus.of("to be \"or\" not\\ to 'be'\n\t\u00e9 \ud83d\ude00 ".repeat(120));
        CharLstmExample.Settings s = new CharLstmExample.Settings(4, 8, 1, 8, 3, 5.0, 10, 1.0, 4, 8);
        new CharLstmExample().train(RnnRunsForTests.run("char-lstm", 1, 4, 0.01, 0, dir).ctx(), odd, s);
        CharLstmExample.Loaded l = CharLstmExample.load(dir.resolve(Checkpoints.BEST), "test");
        assertEquals(odd.vocabulary().symbols(), l.vocabulary().symbols());
        assertEquals(s, l.settings());
        assertEquals(10, l.generate("\ud83d\ude00", 10, 1.0, 0).codePointCount(0, l.generate("\ud83d\ude00", 10, 1.0, 0).length()));
        Path sine = dir.resolve("sine");
        new SineRnnExample().run(RnnRunsForTests.run("sine-rnn", 1, 4, 0.01, 0, sine).ctx());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CharLstmExample.load(sine.resolve(Checkpoints.LAST), "generate"));
        assertTrue(e.getMessage().contains("checkpoint of \"sine-rnn\", not of char-lstm"), e.getMessage());
    }
}
