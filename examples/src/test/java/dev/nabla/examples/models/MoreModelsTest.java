package dev.nabla.examples.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CNN, recurrent and tabular models through the command line, on small budgets. */
class MoreModelsTest {
    static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = Main.run(args, out, out);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void lenetLearnsFromTwoThousandImagesAndDrawsItsFilters(@TempDir Path dir) throws Exception {
        String out = run("train", "lenet", "--epochs", "1", "--train-limit", "2000", "--test-limit", "500", "--optimizer", "adam",
                "--lr", "0.003", "--batch-size", "32", "--out", dir.toString(), "--progress", "never");
        double acc = number(out, "test accuracy (\\d+\\.\\d+)%") / 100;
        // measured: 84.40% after one epoch (63 Adam steps) on 2000 images; chance is 10%
        assertTrue(acc > 0.75, out);
        assertNotNull(ImageIO.read(dir.resolve("filters.png").toFile()));
        assertTrue(Files.isRegularFile(dir.resolve("best.safetensors")));
    }

    @Test
    void airlineLstmBeatsBothNaiveForecasts(@TempDir Path dir) {
        String out = run("train", "airline-lstm", "--epochs", "60", "--out", dir.toString(), "--progress", "never");
        double lstm = number(out, "LSTM\\s+RMSE\\s+(\\d+\\.\\d+)");
        double lastMonth = number(out, "last month\\s+RMSE\\s+(\\d+\\.\\d+)");
        double lastYear = number(out, "a year before\\s+RMSE\\s+(\\d+\\.\\d+)");
        // known baselines on the 1958-1960 test months; measured LSTM RMSE after 60 epochs: 20.36
        assertEquals(50.30, lastMonth, 0.005);
        assertEquals(41.98, lastYear, 0.005);
        assertTrue(lstm < 0.75 * lastYear, out);
        assertTrue(Files.isRegularFile(dir.resolve("airline-lstm.png")));
        // eval of the saved checkpoint reports the same kind of figures
        String eval = run("eval", dir.toString());
        assertTrue(number(eval, "LSTM\\s+RMSE\\s+(\\d+\\.\\d+)") < lastYear, eval);
    }

    @Test
    void sineRnnApproachesTheNoiseFloor(@TempDir Path dir) {
        String out = run("train", "sine-rnn", "--epochs", "8", "--out", dir.toString(), "--progress", "never");
        double mse = number(out, "one step ahead from a zero state\\): MSE (\\d+\\.\\d+)");
        double baseline = number(out, "last-value baseline (\\d+\\.\\d+)");
        // noise floor 0.01; last-value baseline 0.0508; measured after 8 epochs: 0.0169
        assertTrue(mse < 0.02 && mse < baseline / 2, out);
        assertTrue(Files.isRegularFile(dir.resolve("sine-rnn.png")));
    }

    @Test
    void irisAndBreastCancerClassifiers(@TempDir Path dir) {
        String iris = run("train", "iris", "--out", dir.resolve("iris").toString(), "--progress", "never");
        // measured: 96.67% (29 of 30 test flowers)
        assertTrue(number(iris, "test accuracy (\\d+\\.\\d+)%") >= 90, iris);
        String bc = run("train", "breast-cancer", "--out", dir.resolve("bc").toString(), "--progress", "never");
        // measured: 98.25% (112 of 114 test cases)
        assertTrue(number(bc, "test accuracy (\\d+\\.\\d+)%") >= 95, bc);
        assertTrue(bc.contains("data: 341 train, 114 validation, 114 test"), bc);
    }

    @Test
    void charLstmLearnsCharacterStatisticsAndGeneratesFromItsCheckpoint(@TempDir Path dir) {
        String out = run("train", "char-lstm", "--train-limit", "24000", "--test-limit", "4000", "--batch-size", "16", "--out",
                dir.toString(), "--progress", "never");
        double val = number(out, "val loss (\\d+\\.\\d+) nats/char");
        // a uniform guess over the 65 symbols costs ln 65 = 4.17 nats; measured: 2.92 after 23 chunks
        assertTrue(val < 3.3, out);
        assertTrue(out.contains("--- sample (temperature 0.8) ---"), out);
        String text = run("generate", dir.toString(), "--length", "80", "--prime", "KING", "--seed", "1");
        assertTrue(text.startsWith("KING") && text.strip().length() >= 60, text);
        assertEquals(text, run("generate", dir.toString(), "--length", "80", "--prime", "KING", "--seed", "1"),
                "same seed, same text");
    }
}
