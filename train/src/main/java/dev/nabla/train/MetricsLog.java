package dev.nabla.train;

import dev.nabla.ndarray.io.AtomicFiles;
import dev.nabla.ndarray.io.JsonWriter;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row per epoch in {@code metrics.jsonl} and {@code metrics.csv} (or per step, in another pair of files). Every row is written as a
 * whole line and flushed at once, so that a crash never leaves half a line behind. The first
 * column is always {@code epoch}; a NaN value is written as {@code null} in JSON and as an empty
 * cell in CSV. When a run is resumed from epoch k, rows after k (from an epoch whose checkpoint
 * was never written) are dropped first, so each epoch appears exactly once.
 *
 * <p>Files: opening rewrites both logs atomically through {@link AtomicFiles} (a fresh temporary
 * file, never opened through a symbolic link, renamed over the log); rows are then <em>appended</em>
 * to the renamed files, opened with {@code NOFOLLOW_LINKS}, so a link planted at either name
 * makes {@code open} fail instead of writing through it. Not thread-safe: one writer per run.
 */
public final class MetricsLog implements Closeable {
    /** File name of the JSON-lines log. */
    public static final String JSONL = "metrics.jsonl";
    /** File name of the CSV log. */
    public static final String CSV = "metrics.csv";
    private static final Pattern EPOCH = Pattern.compile("^\\{\"epoch\":(\\d+)[,}]");

    private final String[] columns;
    private final BufferedWriter jsonl;
    private final BufferedWriter csv;

    private MetricsLog(String[] columns, BufferedWriter jsonl, BufferedWriter csv) {
        this.columns = columns;
        this.jsonl = jsonl;
        this.csv = csv;
    }

    /**
     * Opens the logs in {@code dir} with the given columns (after {@code epoch}). With
     * {@code keepUpToEpoch} &lt; 0 the files start empty; otherwise existing rows up to and including
     * that epoch are kept and the rest dropped (the files are rewritten atomically first).
     */
    public static MetricsLog open(Path dir, List<String> columns, int keepUpToEpoch) throws IOException {
        return open(dir, JSONL, CSV, columns, keepUpToEpoch);
    }

    /**
     * As {@link #open(Path, List, int)} with other file names (the per-step log
     * {@code metrics_steps.jsonl}/{@code .csv}, whose rows also start with {@code epoch}).
     */
    public static MetricsLog open(Path dir, String jsonlName, String csvName, List<String> columns, int keepUpToEpoch)
            throws IOException {
        Files.createDirectories(dir);
        String[] cols = columns.toArray(new String[0]);
        String header = "epoch," + String.join(",", cols);
        Path jp = dir.resolve(jsonlName);
        Path cp = dir.resolve(csvName);
        List<String> keptJson = new ArrayList<>();
        List<String> keptCsv = new ArrayList<>();
        if (keepUpToEpoch >= 0) {
            if (Files.exists(jp)) {
                for (String line : Files.readAllLines(jp, StandardCharsets.UTF_8)) {
                    Matcher m = EPOCH.matcher(line);
                    if (m.find() && line.endsWith("}") && Integer.parseInt(m.group(1)) <= keepUpToEpoch) {
                        keptJson.add(line);
                    }
                }
            }
            if (Files.exists(cp)) {
                List<String> lines = Files.readAllLines(cp, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && !lines.get(0).equals(header)) {
                    throw new IOException("metrics: " + cp + " has header \"" + lines.get(0) + "\" but this run writes \""
                            + header + "\"; resume with the same model, or pass a fresh --out directory");
                }
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String first = line.split(",", 2)[0];
                    if (first.matches("\\d+") && Integer.parseInt(first) <= keepUpToEpoch
                            && line.split(",", -1).length == cols.length + 1) {
                        keptCsv.add(line);
                    }
                }
            }
        }
        keptCsv.add(0, header);
        rewrite(jp, keptJson);
        rewrite(cp, keptCsv);
        BufferedWriter j = appender(jp);
        try {
            return new MetricsLog(cols, j, appender(cp));
        } catch (IOException | RuntimeException e) {
            j.close();
            throw e;
        }
    }

    /** Rewrites {@code p} atomically through the project's one writer (fresh temp file, no link followed). */
    private static void rewrite(Path p, List<String> lines) throws IOException {
        AtomicFiles.writeLines(p, lines);
    }

    /** Appends to {@code p} without following a symbolic link planted there since the rewrite. */
    private static BufferedWriter appender(Path p) throws IOException {
        return new BufferedWriter(Channels.newWriter(AtomicFiles.openAppend(p), StandardCharsets.UTF_8));
    }

    /** The column names after {@code epoch}. */
    public List<String> columns() {
        return List.of(columns);
    }

    /** Appends the row for {@code epoch}; {@code values} follow the column order. */
    public void append(int epoch, double... values) throws IOException {
        if (values.length != columns.length) {
            throw new IllegalArgumentException("metrics: expected " + columns.length + " values " + Arrays.toString(columns)
                    + " but got " + values.length);
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        StringBuilder cs = new StringBuilder().append(epoch);
        for (int i = 0; i < values.length; i++) {
            row.put(columns[i], values[i]);
            cs.append(',').append(Double.isFinite(values[i]) ? num(values[i]) : "");
        }
        cs.append('\n');
        String js = JsonWriter.write(row) + "\n";
        jsonl.write(js);
        jsonl.flush();
        csv.write(cs.toString());
        csv.flush();
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    @Override
    public void close() throws IOException {
        jsonl.close();
        csv.close();
    }
}
