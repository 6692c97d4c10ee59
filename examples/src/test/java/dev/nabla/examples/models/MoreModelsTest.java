package dev.nabla.examples.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
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
        return Cli.run(args);
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
        return Double.parseDouble(m.group(1));
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

}
