package dev.nabla.examples.rnn;

import dev.nabla.train.Checkpoints;
import dev.nabla.ndarray.NDArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-epoch metric history of one recurrent run, one list per column: kept in memory for the
 * plots and saved in every checkpoint (as {@code history.<column>} arrays) so that a resumed run
 * continues its curves (all but the wall-clock column, which only the metrics log keeps). Not
 * thread-safe.
 */
final class History {
    private final List<String> columns;
    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    /** An empty history with the given columns (epoch excluded). */
    History(List<String> columns) {
        this.columns = List.copyOf(columns);
        for (String c : columns) {
            values.put(c, new ArrayList<>());
        }
    }

    /** The column names. */
    List<String> columns() {
        return columns;
    }

    /** Appends one epoch's row, in column order. */
    void add(double... row) {
        if (row.length != columns.size()) {
            throw new IllegalArgumentException("History.add: expected " + columns.size() + " values " + columns + " but got "
                    + row.length);
        }
        for (int i = 0; i < row.length; i++) {
            values.get(columns.get(i)).add(row[i]);
        }
    }

    /** Number of epochs recorded. */
    int epochs() {
        return values.get(columns.get(0)).size();
    }

    /** One column, one value per epoch. */
    double[] column(String name) {
        List<Double> l = values.get(name);
        if (l == null) {
            throw new IllegalArgumentException("History.column: no column \"" + name + "\"; columns are " + columns);
        }
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i);
        }
        return out;
    }

    /** 1, 2, ..., epochs(): the x axis of the curves. */
    double[] epochAxis() {
        double[] x = new double[epochs()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    /**
     * The history as {@code history.<column>} arrays, for a checkpoint; without the wall-clock column
     * (it stays in the metrics log), so that the same seed gives the same checkpoint bytes.
     */
    Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String c : columns) {
            if (c.equals(Checkpoints.WALL_CLOCK_COLUMN)) {
                continue;
            }
            double[] v = column(c);
            out.put("history." + c, NDArray.of(v, v.length));
        }
        return out;
    }

    /** Replaces the history with the one saved in {@code trainer} after {@code epochs} epochs (read from {@code file}). */
    void restore(Map<String, NDArray> trainer, int epochs, Path file) {
        for (String c : columns) {
            if (c.equals(Checkpoints.WALL_CLOCK_COLUMN)) {
                List<Double> l = values.get(c);
                l.clear();
                for (int i = 0; i < epochs; i++) {
                    l.add(Double.NaN); // not in checkpoints; metrics.csv keeps the times
                }
                continue;
            }
            NDArray h = trainer.get("history." + c);
            if (h == null || h.size() != epochs) {
                throw new IllegalArgumentException("--resume: " + file + " lacks the metric history \"" + c + "\" for its "
                        + epochs + " epochs; it was not written by this version of `nabla train`");
            }
            List<Double> l = values.get(c);
            l.clear();
            for (double v : h.toArray()) {
                l.add(v);
            }
        }
    }
}
