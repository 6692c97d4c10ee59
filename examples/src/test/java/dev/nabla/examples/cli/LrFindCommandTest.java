package dev.nabla.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nabla lr-find} on iris: the plot and the table are written, the suggestion lies in the sweep and depends only on the seed. */
class LrFindCommandTest {
    private static final Pattern SUGGESTED = Pattern.compile("suggested learning rate: (\\S+) ");

    private static double suggestion(String output) {
        Matcher m = SUGGESTED.matcher(output);
        assertTrue(m.find(), output);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void writesThePlotAndASuggestionWithinTheSweepThatTheSeedFixes(@TempDir Path tmp) throws IOException {
        String[] sweep = {"--start-lr", "1e-4", "--end-lr", "1e4", "--steps", "100", "--seed", "3"};
        String first = Cli.run(concat(new String[] {"lr-find", "iris", "--out", tmp.resolve("a").toString()}, sweep));
        String again = Cli.run(concat(new String[] {"lr-find", "iris", "--out", tmp.resolve("b").toString()}, sweep));
        double lr = suggestion(first);
        assertTrue(lr >= 1e-4 && lr <= 1e4, "suggestion " + lr + " outside the sweep 1e-4..1e4\n" + first);
        assertEquals(lr, suggestion(again), "the same seed gives the same suggestion");
        assertEquals(Files.readString(tmp.resolve("a/lr-find.csv")), Files.readString(tmp.resolve("b/lr-find.csv")),
                "the same seed gives bitwise the same sweep");

        // SGD on softmax regression diverges long before lr 1e4: the sweep stops early, on a loss above 4x its best
        List<String> rows = Files.readAllLines(tmp.resolve("a/lr-find.csv"));
        assertEquals("step,lr,smoothed_loss", rows.get(0));
        int n = rows.size() - 1;
        assertTrue(n < 100 && first.contains("exceeded 4x its best"), first);
        assertEquals(1e-4, col(rows.get(1), 1), 1e-18);
        assertTrue(col(rows.get(n), 2) > 4 * minLoss(rows), "the last point is the divergence");
        // the suggestion is a tenth of the rate of the lowest smoothed loss
        double atMin = rows.stream().skip(1).filter(r -> col(r, 2) == minLoss(rows)).mapToDouble(r -> col(r, 1))
                .findFirst().orElseThrow();
        assertEquals(LrFindCommand.fmt(atMin / 10), LrFindCommand.fmt(lr), first);
        // an untrained 3-class softmax near zero weights has loss near log 3 = 1.0986: the curve starts there and falls
        assertEquals(Math.log(3), col(rows.get(1), 2), 0.3);
        assertTrue(minLoss(rows) < 0.85 * col(rows.get(1), 2), "the loss falls during the sweep:\n" + String.join("\n", rows));

        var png = ImageIO.read(tmp.resolve("a/lr-find.png").toFile());
        assertEquals(800, png.getWidth());
        assertEquals(500, png.getHeight());
    }

    @Test
    void aMinimumInTheFirstDecadeSuggestsTheStartAndSaysToStartLower(@TempDir Path tmp) throws IOException {
        String out = Cli.run("lr-find", "iris", "--start-lr", "1", "--end-lr", "1e4", "--steps", "40", "--out", tmp.toString());
        List<String> rows = Files.readAllLines(tmp.resolve("lr-find.csv"));
        double atMin = rows.stream().skip(1).filter(r -> col(r, 2) == minLoss(rows)).mapToDouble(r -> col(r, 1))
                .findFirst().orElseThrow();
        assertTrue(atMin < 10, "this sweep bottoms out within its first decade, at lr " + atMin);
        assertTrue(out.contains("warning: the loss was lowest within the first decade of the sweep; start lower than "
                + "--start-lr 1.00\n"), out);
        assertEquals(1.0, suggestion(out), out);
    }

    @Test
    void aStudyOrAModelWithItsOwnLoopIsAUsageErrorNamingTheModelsThatWork() {
        Cli.Result r = Cli.exec(false, "lr-find", "spiral");
        assertEquals(2, r.code());
        assertEquals("nabla: error: lr-find: spiral is trained by a loop of its own, not the common trainer; lr-find works on "
                + "mnist-mlp, lenet, simple-cnn, resnet, breast-cancer, iris (see `nabla lr-find --help`)", r.err().strip());
        Cli.Result bad = Cli.exec(false, "lr-find", "iris", "--start-lr", "1", "--end-lr", "0.1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("nabla: error: --end-lr 0.1 must be above --start-lr 1.0"), bad.err());
    }

    private static double col(String row, int i) {
        return Double.parseDouble(row.split(",")[i]);
    }

    private static double minLoss(List<String> rows) {
        return rows.stream().skip(1).mapToDouble(r -> col(r, 2)).min().orElseThrow();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
