package dev.nabla.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code nabla data-speed}: runs and prints its fields and a verdict (the timings themselves are never asserted). */
class DataSpeedCommandTest {
    private static final Pattern RATE = Pattern.compile("^(data loader, no prefetch|data loader, prefetch 3|train step \\(sgd\\)):"
            + "\\s+([0-9,]+) samples/s", Pattern.MULTILINE);

    @Test
    void printsTheThreeRatesAndAVerdict() {
        String out = Cli.run("data-speed", "iris", "--batches", "12", "--prefetch", "3", "-b", "8");
        assertTrue(out.startsWith("data-speed iris: batch 8, 12 batches timed after 10 warm-up, float64, 90 training samples\n"),
                out);
        Matcher m = RATE.matcher(out);
        int found = 0;
        while (m.find()) {
            found++;
            assertTrue(Double.parseDouble(m.group(2).replace(",", "")) > 0, m.group());
        }
        assertEquals(3, found, out);
        long verdicts = out.lines().filter(l -> l.startsWith("verdict: data-bound: ") || l.startsWith("verdict: compute-bound: "))
                .count();
        assertEquals(1, verdicts, out);
    }

    @Test
    void float32AndAModelOutsideTheTrainerAreHandled() {
        assertTrue(Cli.run("data-speed", "breast-cancer", "--batches", "3", "--dtype", "float32").contains(", float32, "));
        Cli.Result r = Cli.exec(false, "data-speed", "char-lstm");
        assertEquals(2, r.code());
        assertEquals(List.of("nabla: error: data-speed: char-lstm is trained by a loop of its own, not the common trainer; "
                + "data-speed works on mnist-mlp, lenet, simple-cnn, resnet, breast-cancer, iris (see `nabla data-speed --help`)"),
                r.err().strip().lines().toList());
    }
}
