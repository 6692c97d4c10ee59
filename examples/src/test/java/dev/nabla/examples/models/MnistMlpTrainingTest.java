package dev.nabla.examples.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
import dev.nabla.train.Checkpoints;
import dev.nabla.ndarray.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default model end to end through the command line, on a subset of the shipped MNIST (5,000
 * training images, the first 1,000 validation and test images, 2 epochs): the accuracy it reaches,
 * the files it writes, and {@code nabla eval} of its checkpoint.
 */
class MnistMlpTrainingTest {
    private static final Pattern TEST_ACC = Pattern.compile("test accuracy (\\d+\\.\\d+)%");

    static String run(String... args) {
        return Cli.run(args);
    }

    static double testAccuracy(String output) {
        Matcher m = TEST_ACC.matcher(output);
        assertTrue(m.find(), output);
        return Double.parseDouble(m.group(1)) / 100;
    }

    @Test
    void subsetRunReachesItsAccuracyAndWritesEveryOutput(@TempDir Path dir) throws Exception {
        String out = run("train", "mnist-mlp", "--epochs", "2", "--train-limit", "5000", "--test-limit", "1000",
                "--out", dir.toString(), "--progress", "never");
        // measured: 88.60% test, 92.40% validation after 2 epochs (seed 0)
        double acc = testAccuracy(out);
        assertTrue(acc >= 0.86, "test accuracy " + acc + "\n" + out);
        assertTrue(out.contains("data: 5000 train, 1000 validation, 1000 test; model: 79,510 parameters"), out);

        // metrics: one row per epoch in both files, the same numbers, parseable
        List<String> jsonl = Files.readAllLines(dir.resolve("metrics.jsonl"));
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(2, jsonl.size());
        assertEquals(List.of("epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "time_s"),
                List.of(csv.get(0).split(",")));
        assertEquals(3, csv.size());
        for (int e = 1; e <= 2; e++) {
            Map<String, Double> row = JsonRows.parse(jsonl.get(e - 1));
            String[] cells = csv.get(e).split(",");
            assertEquals(e, row.get("epoch").intValue());
            assertEquals(Double.parseDouble(cells[1]), row.get("train_loss"));
            assertEquals(Double.parseDouble(cells[4]), row.get("val_acc"));
            assertTrue(row.get("train_loss") > 0 && row.get("train_loss") < 2.4, jsonl.get(e - 1));
            assertTrue(row.get("val_acc") > 0.8 && row.get("val_acc") <= 1, jsonl.get(e - 1));
        }
        // cosine schedule: full rate in epoch 1, half in epoch 2 of 2
        assertEquals(0.1, JsonRows.parse(jsonl.get(0)).get("lr"));
        assertEquals(0.05, JsonRows.parse(jsonl.get(1)).get("lr"), 1e-15);

        // plots are real PNG images
        for (String png : new String[] {"loss.png", "accuracy.png"}) {
            assertNotNull(ImageIO.read(dir.resolve(png).toFile()), png);
        }
        // checkpoints: model, optimizer and trainer state with the run's settings in the metadata
        Checkpoints.Contents last = Checkpoints.load(dir.resolve(Checkpoints.LAST));
        assertEquals(2, last.epoch());
        assertEquals("mnist-mlp", last.metadata.get("model"));
        assertEquals("momentum", last.metadata.get("optimizer"));
        assertArrayEquals(new int[] {100, 784}, last.model.get("0.weight").shape()); // PyTorch's (out, in)
        assertArrayEquals(new int[] {10, 100}, last.model.get("2.weight").shape());
        assertArrayEquals(new int[] {100, 784}, last.optimizer.get("state.0.momentum_buffer").shape());
        assertEquals(2 * 50, (long) last.optimizer.get("step").item(), "50 steps per epoch of 5000 images");
        NDArray valAcc = last.trainer.get("history.val_acc");
        assertEquals(2, valAcc.size());
        assertTrue(Files.isRegularFile(dir.resolve(Checkpoints.BEST)));

        // nabla eval on the run directory (best = last here, validation improved in epoch 2) gives the printed test accuracy
        String eval = run("eval", dir.toString(), "--test-limit", "1000");
        assertEquals(acc, testAccuracy(eval), 1e-12, eval);
        String summary = Files.readString(dir.resolve("summary.json"));
        Matcher m = Pattern.compile("\"test_acc\":([0-9.eE-]+)").matcher(summary);
        assertTrue(m.find(), summary);
        assertEquals(acc, Double.parseDouble(m.group(1)), 1e-12, summary);
    }

    /**
     * {@code --dtype float32}: the same subset run in float32 stores float32 weights, reaches the
     * float64 run's accuracy (within a point: the two differ by rounding only), its eval agrees,
     * and a float64-only model refuses the option with a message that names the alternatives.
     */
    @Test
    void float32RunMatchesTheFloat64Run(@TempDir Path dir) throws Exception {
        String out32 = run("train", "mnist-mlp", "--epochs", "2", "--train-limit", "5000", "--test-limit", "1000",
                "--out", dir.resolve("f32").toString(), "--progress", "never", "--dtype", "float32");
        String out64 = run("train", "mnist-mlp", "--epochs", "2", "--train-limit", "5000", "--test-limit", "1000",
                "--out", dir.resolve("f64").toString(), "--progress", "never");
        double acc32 = testAccuracy(out32);
        double acc64 = testAccuracy(out64);
        assertTrue(out32.contains("dtype=float32"), out32);
        assertEquals(acc64, acc32, 0.01, out32 + "\n" + out64);
        Checkpoints.Contents last = Checkpoints.load(dir.resolve("f32").resolve(Checkpoints.LAST));
        assertEquals(dev.nabla.ndarray.DType.FLOAT32, last.model.get("0.weight").dtype());
        assertEquals("float32", last.metadata.get("dtype"));
        String eval = run("eval", dir.resolve("f32").toString(), "--test-limit", "1000");
        assertEquals(acc32, testAccuracy(eval), 1e-12, eval);

        String text = Cli.fail("train", "sine-rnn", "--dtype", "float32", "--out", dir.resolve("x").toString());
        assertTrue(text.contains("sine-rnn trains in float64 only") && text.contains("mnist-mlp"), text);
        text = Cli.fail("train", "mnist-mlp", "--dtype", "float16", "--out", dir.resolve("y").toString());
        assertTrue(text.contains("--dtype expects one of float64, float32, got \"float16\""), text);
    }
}
