package dev.nabla.data;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A univariate time series (one value per time step, each with a time label such as
 * {@code "1949-01"}) and the sliding-window datasets that forecasting models train on.
 * Immutable and thread-safe.
 */
public final class TimeSeries {
    /** The largest Java array length that is safe to request. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final String name;
    private final List<String> times;
    private final double[] values;

    private TimeSeries(String name, List<String> times, double[] values) {
        this.name = name;
        this.times = List.copyOf(times);
        this.values = values;
    }

    /** A series of {@code values} labelled by {@code times} (same length). */
    public static TimeSeries of(String name, List<String> times, double[] values) {
        if (times.size() != values.length) {
            throw new IllegalArgumentException("TimeSeries.of: " + times.size() + " time labels for " + values.length
                    + " values; they must pair up");
        }
        return new TimeSeries(name, times, values.clone());
    }

    /** A series of {@code values} labelled {@code "0", "1", ...}. */
    public static TimeSeries of(String name, double[] values) {
        String[] t = new String[values.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = Integer.toString(i);
        }
        return of(name, Arrays.asList(t), values);
    }

    /**
     * Box and Jenkins' monthly international airline passengers (thousands), January 1949 to
     * December 1960: 144 values, shipped with this module.
     */
    public static TimeSeries airlinePassengers() {
        String file = "timeseries/airline-passengers.csv";
        return readCsv(DataFiles.openResource(file), "classpath:" + DataFiles.RESOURCE_ROOT + file, "Month", "Passengers");
    }

    /** A series from a CSV file with a header: a time-label column (any text) and a numeric value column. */
    public static TimeSeries readCsv(Path file, String timeColumn, String valueColumn) {
        return readCsv(DataFiles.open(file), file.toString(), timeColumn, valueColumn);
    }

    private static TimeSeries readCsv(InputStream in, String source, String timeColumn, String valueColumn) {
        List<Csv.Row> rows = Csv.rows(new InputStreamReader(DataFiles.decompressing(in, source),
                StandardCharsets.UTF_8), source, ',', 0);
        if (rows.isEmpty()) {
            throw new MalformedDataException(source, "no data: the file holds no non-blank lines");
        }
        String[] head = rows.get(0).cells;
        int tc = indexOf(head, timeColumn, source);
        int vc = indexOf(head, valueColumn, source);
        int n = rows.size() - 1;
        String[] times = new String[n];
        double[] values = new double[n];
        for (int r = 0; r < n; r++) {
            Csv.Row row = rows.get(r + 1);
            if (row.cells.length != head.length) {
                throw new MalformedDataException(source, row.line, -1, "this line has " + row.cells.length
                        + " columns but the header has " + head.length);
            }
            times[r] = row.cells[tc].trim();
            values[r] = Csv.parse(source, row.line, vc + 1, row.cells[vc], head[vc]);
        }
        return new TimeSeries(valueColumn, Arrays.asList(times), values);
    }

    private static int indexOf(String[] head, String name, String source) {
        for (int i = 0; i < head.length; i++) {
            if (head[i].trim().equals(name)) {
                return i;
            }
        }
        throw new MalformedDataException(source, 1, -1, "no column named '" + name + "' in the header "
                + Arrays.toString(head));
    }

    /** The series' name. */
    public String name() {
        return name;
    }

    /** The number of time steps. */
    public int length() {
        return values.length;
    }

    /** The values (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** The time labels. */
    public List<String> times() {
        return times;
    }

    /** Sliding windows over this series; see {@link #windows(double[], int, int)}. */
    public ArrayDataset windows(int window, int horizon) {
        return windows(values, window, horizon);
    }

    /**
     * Supervised pairs from a series: sample {@code i} has input {@code series[i .. i+window)}
     * ({@code (window)}) and target the next {@code horizon} values {@code series[i+window .. i+window+horizon)}
     * ({@code (horizon)}); there are {@code length - window - horizon + 1} samples, stride 1.
     * Split a series by time (earlier part trains) before windowing, so that no window straddles the cut.
     */
    public static ArrayDataset windows(double[] series, int window, int horizon) {
        if (window <= 0 || horizon <= 0) {
            throw new IllegalArgumentException("TimeSeries.windows: need window > 0 and horizon > 0 but got window="
                    + window + ", horizon=" + horizon);
        }
        // long arithmetic: window + horizon and the array sizes can exceed int range
        long need = (long) window + horizon;
        long count = series.length - need + 1;
        if (count <= 0) {
            throw new IllegalArgumentException("TimeSeries.windows: a series of length " + series.length
                    + " is too short for window " + window + " + horizon " + horizon + " (needs at least "
                    + need + " values)");
        }
        long cells = count * Math.max(window, horizon);
        if (cells > MAX_ARRAY) {
            throw new IllegalArgumentException("TimeSeries.windows: " + count + " windows of " + window
                    + " inputs and " + horizon + " targets need " + cells + " values in one array, more than the "
                    + MAX_ARRAY + " a Java array holds; use a shorter window or horizon, or window a part of the series");
        }
        int n = (int) count;
        double[] x = new double[n * window];
        double[] y = new double[n * horizon];
        for (int i = 0; i < n; i++) {
            System.arraycopy(series, i, x, i * window, window);
            System.arraycopy(series, i + window, y, i * horizon, horizon);
        }
        return new ArrayDataset(x, n, new int[] {window}, null, y, new int[] {horizon}, null);
    }
}
