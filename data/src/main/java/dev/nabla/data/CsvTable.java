package dev.nabla.data;

import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * A numeric table read by {@link Csv}: {@code rows x columns} values, the header names (if the
 * file had a header) and, for error messages, each row's line and each column's position in the file.
 * Immutable and thread-safe.
 */
public final class CsvTable {
    private final String source;
    private final List<String> names;
    private final double[] values;
    private final int rows;
    private final int cols;
    private final int[] lines;
    private final int[] columnNumbers;

    CsvTable(String source, List<String> names, double[] values, int rows, int cols, int[] lines, int[] columnNumbers) {
        this.source = source;
        this.names = List.copyOf(names);
        this.values = values;
        this.rows = rows;
        this.cols = cols;
        this.lines = lines;
        this.columnNumbers = columnNumbers;
    }

    /** The file or resource name. */
    public String source() {
        return source;
    }

    /** The column names from the header, or an empty list when the file had none. */
    public List<String> header() {
        return names;
    }

    /** The number of data rows. */
    public int rows() {
        return rows;
    }

    /** The 1-based file line of data row {@code row} (0-based), for error messages. */
    int line(int row) {
        return lines[row];
    }

    /** The number of (kept) columns. */
    public int columns() {
        return cols;
    }

    /** All values as a {@code (rows, columns)} array (a copy). */
    public NDArray values() {
        return NDArray.of(values.clone(), rows, cols);
    }

    /** One column (0-based; negative counts from the end). */
    public double[] column(int column) {
        int c = resolve("CsvTable.column", column);
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = values[r * cols + c];
        }
        return out;
    }

    /** One column by header name. */
    public double[] column(String name) {
        return column(columnIndex(name));
    }

    /** The 0-based position of a header name among the kept columns. */
    public int columnIndex(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("CsvTable: " + source + " has no column named '" + name + "'"
                    + (names.isEmpty() ? " (it has no header)" : "; its columns are " + names));
        }
        return i;
    }

    /**
     * A classification dataset: column {@code labelColumn} (0-based, negative from the end) holds
     * integer class labels in {@code [0, ArrayDataset.MAX_CLASSES)}, the other columns are the features {@code (rows, columns-1)}.
     */
    public ArrayDataset toClassification(int labelColumn) {
        int lc = resolve("CsvTable.toClassification", labelColumn);
        if (cols < 2) {
            throw new IllegalArgumentException("CsvTable.toClassification: " + source
                    + " has a single column; need at least one feature besides the label");
        }
        int f = cols - 1;
        double[] x = new double[rows * f];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            int k = 0;
            for (int c = 0; c < cols; c++) {
                double v = values[r * cols + c];
                if (c == lc) {
                    if (!(v >= 0 && v == Math.rint(v))) {
                        throw new MalformedDataException(source, lines[r], columnNumbers[c], "the label column holds "
                                + v + ", which is not a class index (an integer >= 0)");
                    }
                    if (v >= ArrayDataset.MAX_CLASSES) {
                        throw new MalformedDataException(source, lines[r], columnNumbers[c], "the label column holds "
                                + (v < 1e15 ? String.format(java.util.Locale.ROOT, "%.0f", v) : Double.toString(v)) + ", too large for a class index: labels"
                                + " must be below ArrayDataset.MAX_CLASSES = " + ArrayDataset.MAX_CLASSES
                                + " (remap sparse class ids to 0..k-1, or read the column as a regression target)");
                    }
                    labels[r] = (int) v;
                } else {
                    x[r * f + k++] = v;
                }
            }
        }
        return new ArrayDataset(x, rows, new int[] {f}, labels, null, null, null);
    }

    /** A classification dataset with the label column chosen by header name. */
    public ArrayDataset toClassification(String labelColumn) {
        return toClassification(columnIndex(labelColumn));
    }

    /**
     * A regression dataset: the given columns (0-based, negative from the end) are the targets
     * {@code (rows, t)}, the others the features {@code (rows, columns-t)}.
     */
    public ArrayDataset toRegression(int... targetColumns) {
        if (targetColumns.length == 0) {
            throw new IllegalArgumentException("CsvTable.toRegression: name at least one target column");
        }
        boolean[] isTarget = new boolean[cols];
        List<Integer> order = new ArrayList<>();
        for (int t : targetColumns) {
            int c = resolve("CsvTable.toRegression", t);
            if (isTarget[c]) {
                throw new IllegalArgumentException("CsvTable.toRegression: column " + t + " is named twice");
            }
            isTarget[c] = true;
            order.add(c);
        }
        int tc = order.size();
        int f = cols - tc;
        if (f == 0) {
            throw new IllegalArgumentException("CsvTable.toRegression: every column is a target; no features remain");
        }
        double[] x = new double[rows * f];
        double[] y = new double[rows * tc];
        for (int r = 0; r < rows; r++) {
            int k = 0;
            for (int c = 0; c < cols; c++) {
                if (!isTarget[c]) {
                    x[r * f + k++] = values[r * cols + c];
                }
            }
            for (int j = 0; j < tc; j++) {
                y[r * tc + j] = values[r * cols + order.get(j)];
            }
        }
        return new ArrayDataset(x, rows, new int[] {f}, null, y, new int[] {tc}, null);
    }

    private int resolve(String op, int column) {
        int c = column < 0 ? column + cols : column;
        if (c < 0 || c >= cols) {
            throw new IndexOutOfBoundsException(op + ": column " + column + " is out of range for a table of " + cols
                    + " columns (0-based; negative counts from the end)");
        }
        return c;
    }
}
