package dev.nabla.examples.train;

import dev.nabla.train.MetricsLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.examples.Cli;
import dev.nabla.ndarray.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every JSON file a run writes parses with the strict parser, whatever the run directory is called. */
class JsonFilesTest {
    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(Path file) throws IOException, Json.ParseException {
        return (Map<String, Object>) Json.parse(Files.readString(file));
    }

    private static void assertRunFilesParse(Path run, String outDirAsGiven) throws Exception {
        Map<String, Object> config = parse(run.resolve("config.json"));
        assertEquals(outDirAsGiven, config.get("out_dir"));
        assertEquals("iris", config.get("model"));
        assertEquals(1.0, ((Json.Num) config.get("epochs")).toDouble());
        assertSame(Json.NULL, config.get("data_dir"));
        Map<String, Object> summary = parse(run.resolve("summary.json"));
        assertEquals("iris", summary.get("model"));
        assertTrue(summary.get("test_acc") instanceof Json.Num, summary.toString());
        for (String line : Files.readAllLines(run.resolve(MetricsLog.JSONL))) {
            assertTrue(Json.parse(line) instanceof Map, line);
        }
    }

    /** The old writer emitted a numeric-looking value unquoted: {@code "out_dir": 2026-12-02} is not JSON. */
    @Test
    void aRunDirectoryNamedLikeADateGivesValidJson() throws Exception {
        Path rel = Path.of("2026-12-02"); // relative on purpose: the whole value must look like a number
        assertFalse(Files.exists(rel), rel.toAbsolutePath() + " exists already; remove it");
        try {
            Cli.run("train", "iris", "--epochs", "1", "--out", rel.toString(), "--progress", "never");
            assertRunFilesParse(rel, "2026-12-02");
        } finally {
            try (var files = Files.walk(rel)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Quotes, backslashes, a newline and a control character in the directory name are escaped, not pasted. */
    @Test
    void aRunDirectoryWithQuotesBackslashesAndANewlineGivesValidJson() throws Exception {
        Path run = tmp.resolve("a \"run\" \\ with\nnewline\u0001 and é");
        Cli.run("train", "iris", "--epochs", "1", "--out", run.toString(), "--progress", "never");
        assertRunFilesParse(run, run.toString());
    }

    @Test
    void configJsonKeepsNumbersAsNumbersAndNamesAsStrings() throws Exception {
        RunConfig c = new RunConfig("1e5", 3, 10, 0.1, "sgd", 0, "none", -7, Path.of("-12"), Path.of("3.5"), 0, 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(c.toJson());
        assertEquals("1e5", m.get("model"));
        assertEquals("-12", m.get("out_dir"));
        assertEquals("3.5", m.get("data_dir"));
        assertEquals("-7", ((Json.Num) m.get("seed")).text());
        assertEquals("0.1", ((Json.Num) m.get("lr")).text());
    }
}
