package dev.nabla.examples.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Examples;
import dev.nabla.examples.Main;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.FilterGrid;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nabla train lenet} / {@code simple-cnn} and {@code nabla eval} through the real command
 * line, on small parts of the shipped MNIST: the accuracy a short LeNet run reaches, the files of
 * the run directory (metrics, checkpoints, the filter grid), and an evaluation of the checkpoint
 * that reproduces the accuracy printed at the end of training.
 */
class CnnTrainingTest {
    private static final Pattern TEST_ACC = Pattern.compile("test accuracy (\\d+\\.\\d+)% \\(loss (\\d+\\.\\d+)\\)");

    @TempDir
    static Path tmp;

    /** Run directory and stdout of the shared short LeNet training. */
    private static Path lenetDir;
    private static String lenetOut;

    /** Runs the command line and returns stdout; fails with stderr when the exit code is not 0. */
    private static String nabla(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, () -> "nabla " + String.join(" ", args) + " failed:\n" + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static double testAccuracy(String out) {
        Matcher m = TEST_ACC.matcher(out);
        assertTrue(m.find(), () -> "no test accuracy line in:\n" + out);
        return Double.parseDouble(m.group(1)) / 100;
    }

    /** One epoch of LeNet on the first 2,000 training images (Adam, lr 2e-3, batches of 32), tested on 500. */
    @BeforeAll
    static void trainShortLeNet() {
        lenetDir = tmp.resolve("lenet");
        lenetOut = nabla("train", "lenet", "--epochs", "1", "--train-limit", "2000", "--test-limit", "500",
                "--lr", "2e-3", "--batch-size", "32", "--progress", "never", "-o", lenetDir.toString());
    }

    @Test
    void bothModelsAreRegistered() {
        assertEquals("lenet", Examples.byName("lenet").name());
        assertEquals("simple-cnn", Examples.byName("simple-cnn").name());
        assertTrue(Examples.byName("lenet").canEvaluate());
        assertEquals(5, Examples.byName("lenet").defaults().epochs);
        assertEquals(2e-3, Examples.byName("lenet").defaults().lr);
        assertEquals("adam", Examples.byName("lenet").defaults().optimizer);
    }

    /**
     * Measured 81.4% test accuracy (loss 0.556) with seed 0 after these 63 steps; chance is 10%, and
     * lr 1e-3 with batches of 64 (32 steps) reaches only 54.8%, so the bound of 75% leaves
     * room for rounding changes in the kernels but not for a broken convolution or optimizer.
     */
    @Test
    void shortLeNetRunLearnsMnist() {
        double acc = testAccuracy(lenetOut);
        assertTrue(acc >= 0.75, "test accuracy after one short epoch: " + acc + "\n" + lenetOut);
        assertTrue(lenetOut.contains("data: 2000 train, 500 validation, 500 test; model: 44,426 parameters"), lenetOut);
        for (String f : List.of("metrics.jsonl", "metrics.csv", "loss.png", "accuracy.png", "config.json", "summary.json",
                Checkpoints.LAST, Checkpoints.BEST)) {
            assertTrue(Files.isRegularFile(lenetDir.resolve(f)), f + " missing in " + lenetDir);
        }
    }

    /** 6 filters of 5x5 in 3 columns and 2 rows, 16 pixels per tap, 4-pixel gaps, under a title band. */
    @Test
    void filterGridOfTheFirstConvolutionIsWritten() throws IOException {
        Path png = lenetDir.resolve(CnnExample.FILTERS_PNG);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "not a readable PNG: " + png);
        assertTrue(img.getWidth() >= 3 * 5 * 16 + 4 * 4, "at least the grid's width: " + img.getWidth());
        assertEquals(2 * 5 * 16 + 3 * 4 + FilterGrid.TITLE_HEIGHT, img.getHeight());
        int x0 = (img.getWidth() - (3 * 5 * 16 + 4 * 4)) / 2;
        assertEquals(FilterGrid.GAP_COLOR.getRGB(), img.getRGB(x0 + 1, FilterGrid.TITLE_HEIGHT + 40), "a gap left of the first tile");
        assertTrue(lenetOut.contains("first-layer filters: " + png), lenetOut);
    }

    /**
     * {@code nabla eval DIR} (best.safetensors, here the only epoch) and {@code nabla eval
     * last.safetensors} rebuild the model from the checkpoint and print exactly the final test
     * accuracy and loss.
     */
    @Test
    void evalOfTheCheckpointReproducesTheFinalAccuracy() {
        Matcher trained = TEST_ACC.matcher(lenetOut);
        assertTrue(trained.find(), lenetOut);
        String eval = nabla("eval", lenetDir.toString(), "--test-limit", "500");
        Matcher evaluated = TEST_ACC.matcher(eval);
        assertTrue(evaluated.find(), eval);
        assertEquals(trained.group(1), evaluated.group(1), eval);
        assertEquals(trained.group(2), evaluated.group(2), eval);
        assertTrue(eval.contains("on 500 samples"), eval);
        String last = nabla("eval", lenetDir.resolve(Checkpoints.LAST).toString(), "--test-limit", "500");
        assertTrue(last.contains("test accuracy " + trained.group(1) + "% (loss " + trained.group(2) + ")"), last);
    }

    /**
     * SimpleConvNet trains end to end on 1,000 images (20 batches of 50, default Adam lr 1e-3) and
     * draws its 30 filters in 6 columns and 5 rows. Measured 77.0% on the first 200 test images
     * (seed 0); asserted at least 70% (chance is 10%).
     */
    @Test
    void simpleCnnRunsAndDrawsItsThirtyFilters() throws IOException {
        Path dir = tmp.resolve("simple");
        String out = nabla("train", "simple-cnn", "--epochs", "1", "--train-limit", "1000", "-b", "50", "--test-limit", "200",
                "--progress", "never", "-o", dir.toString());
        double acc = testAccuracy(out);
        assertTrue(acc >= 0.70, "simple-cnn test accuracy after 20 batches of 50: " + acc + "\n" + out);
        BufferedImage img = ImageIO.read(dir.resolve(CnnExample.FILTERS_PNG).toFile());
        assertEquals(6 * 5 * 16 + 7 * 4, img.getWidth());
        assertEquals(5 * 5 * 16 + 6 * 4 + FilterGrid.TITLE_HEIGHT, img.getHeight());
        assertTrue(Files.isRegularFile(dir.resolve(Checkpoints.BEST)));
    }
}
