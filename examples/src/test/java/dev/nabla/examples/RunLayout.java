package dev.nabla.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.io.Json;
import dev.nabla.ndarray.io.Safetensors;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.ModelExport;
import dev.nabla.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The run layout every model shares (README "Run directory"), checked on a finished run, for tests. */
public final class RunLayout {
    private RunLayout() {}

    /** The keys summary.json of every model starts with, in this order. */
    public static final List<String> SUMMARY_KEYS = List.of("model", "epochs", "test_loss", "test_acc", "best_epoch", "wall_s");

    /**
     * Asserts that {@code dir} holds config.json (naming {@code model}), summary.json (one object whose
     * first keys are {@link #SUMMARY_KEYS}, naming {@code model} and {@code epochs}), metrics.jsonl
     * with {@code epochs} rows and metrics.csv, last.safetensors, model.safetensors in the export
     * format naming {@code model}, and the non-empty {@code files}; returns summary.json parsed.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> check(Path dir, String model, int epochs, String... files) throws Exception {
        Map<String, Object> config = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("config.json")));
        assertEquals(model, config.get("model"), "config.json");
        String text = Files.readString(dir.resolve("summary.json"));
        assertEquals(1, text.lines().count(), "summary.json is one line: " + text);
        Map<String, Object> summary = (Map<String, Object>) assertInstanceOf(Map.class, Json.parse(text));
        assertEquals(SUMMARY_KEYS, List.copyOf(summary.keySet()).subList(0, SUMMARY_KEYS.size()), text);
        assertEquals(model, summary.get("model"), text);
        assertEquals(epochs, number(summary, "epochs"), 0, text);
        assertTrue(number(summary, "wall_s") >= 0, text);
        assertEquals(epochs, Files.readAllLines(dir.resolve(MetricsLog.JSONL)).size(), MetricsLog.JSONL);
        assertEquals(epochs + 1, Files.readAllLines(dir.resolve(MetricsLog.CSV)).size(), MetricsLog.CSV + " (header and rows)");
        Map<String, String> meta = Safetensors.loadMetadata(dir.resolve(ModelExport.FILE));
        assertEquals(ModelExport.FORMAT, meta.get("format"), ModelExport.FILE);
        assertEquals(model, meta.get("model"), ModelExport.FILE);
        for (String f : concat(files, Checkpoints.LAST)) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        return summary;
    }

    /** A number of a parsed summary (NaN for JSON null). */
    public static double number(Map<String, Object> summary, String key) {
        Object v = summary.get(key);
        assertTrue(summary.containsKey(key), key + " in " + summary);
        return v == Json.NULL ? Double.NaN : ((Json.Num) v).toDouble();
    }

    private static String[] concat(String[] a, String b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }
}
