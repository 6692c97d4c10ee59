package dev.nabla.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.ArrayDataset;
import dev.nabla.data.Tabular;
import dev.nabla.examples.Cli;
import dev.nabla.examples.Example;
import dev.nabla.examples.Examples;
import dev.nabla.examples.Main;
import dev.nabla.examples.train.RunConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code nabla list}: a row per example with exactly the defaults {@code nabla train} resolves, and the data set. */
class ListCommandTest {
    private static final PrintStream SINK = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    /** The table rows printed, by model name (the first cell without aliases). */
    private static Map<String, List<String>> rows(String listed) {
        Map<String, List<String>> rows = new HashMap<>();
        for (String line : listed.split("\n")) {
            if (line.startsWith("  ") && !line.startsWith("      ") && !line.strip().startsWith("NAME")) {
                List<String> cells = List.of(line.strip().split("\\s{2,}"));
                assertEquals(ListCommand.HEADERS.size(), cells.size(), line);
                rows.put(cells.get(0).split(" ")[0], cells);
            }
        }
        return rows;
    }

    @Test
    void theHeaderNamesExactlyTheModelsLrFindAndDataSpeedTake() throws IOException {
        String header = Cli.run("list").lines().findFirst().orElseThrow();
        for (Example e : Examples.all()) {
            boolean named = header.contains(" " + e.name() + ",") || header.contains(" " + e.name() + ")");
            assertEquals(!e.isStudy() && e.supportsFloat32(), named, e.name() + " in: " + header);
        }
        // float32 by default but its own training loop: not a model lr-find can sweep
        assertTrue(!header.contains("char-transformer") && header.contains(" mnist-mlp,"), header);
    }

    @Test
    void everyRowHoldsTheDefaultsNablaTrainResolves() throws IOException {
        String listed = Cli.run("list");
        Map<String, List<String>> rows = rows(listed);
        assertEquals(Examples.all().size(), rows.size(), listed);
        for (Example e : Examples.all()) {
            List<String> row = rows.get(e.name());
            CommandLine.ParseResult pr = Main.commandLine(SINK, SINK).parseArgs("train", e.name());
            RunConfig c = ((TrainCommand) pr.subcommand().commandSpec().userObject()).resolve();
            assertEquals(Integer.toString(c.epochs), row.get(1), e.name());
            assertEquals(Integer.toString(c.batchSize), row.get(2), e.name());
            assertEquals(c.optimizer + (c.weightDecay > 0 ? " wd " + c.weightDecay : ""), row.get(3), e.name());
            assertEquals(c.lr, Double.parseDouble(row.get(4)), e.name());
            assertEquals(c.schedule, row.get(5), e.name());
            assertEquals(e.supportsFloat32() ? "float64,float32"
                    : e.defaultDtype() == dev.nabla.ndarray.DType.FLOAT32 ? "float32,float64" : "float64", row.get(6), e.name());
            assertEquals(e.dataSet(), row.get(7), e.name());
            assertTrue(listed.contains("\n      " + e.description() + "\n"), e.name() + ": description under its row");
        }
        assertEquals(List.of("iris", "100", "16", "sgd", "0.1", "none", "float64,float32", "iris (150 x 4, 3 classes)"),
                rows.get("iris"));
        assertEquals("gates (xor)", rows.get("gates").get(0));
        assertEquals(List.of("mnist-mlp", "10", "100", "momentum", "0.1", "cosine"), rows.get("mnist-mlp").subList(0, 6));
    }

    @Test
    void theTabularDataSetsAreAsListed() {
        ArrayDataset iris = Tabular.load("iris");
        assertEquals(150, iris.size());
        assertEquals(List.of(4), java.util.Arrays.stream(iris.sampleShape()).boxed().toList());
        assertEquals(3, iris.numClasses());
        ArrayDataset cancer = Tabular.load("breast_cancer");
        assertEquals(569, cancer.size());
        assertEquals(List.of(30), java.util.Arrays.stream(cancer.sampleShape()).boxed().toList());
        assertEquals(2, cancer.numClasses());
        assertEquals("breast cancer Wisconsin (569 x 30, 2 classes)", Examples.byName("breast-cancer").dataSet());
    }
}
