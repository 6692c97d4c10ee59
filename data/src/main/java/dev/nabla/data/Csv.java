package dev.nabla.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;

/**
 * A reader of numeric CSV tables (gzip-compressed or plain). Options: the delimiter, whether the
 * first line is a header (detected by default: a first line none of whose kept cells is a number; a
 * first line that mixes numbers and text is data, so a malformed first row fails loudly instead of
 * being dropped as a header),
 * lines to skip, and the columns to keep (by 0-based index or header name; cells of other columns
 * may hold anything). Every kept cell must be a number: a bad cell fails with a
 * {@link MalformedDataException} naming the file, the line and the column (both 1-based, as an
 * editor shows them). Blank lines are skipped; fields may be quoted with {@code "}.
 *
 * <pre>{@code
 * CsvTable t = Csv.reader().read(Path.of("data.csv"));
 * ArrayDataset d = t.toClassification(-1);   // last column holds the class label
 * }</pre>
 * Not thread-safe to configure (the option methods modify this reader); reading does not change it,
 * so a configured reader may be shared by threads that only read.
 */
public final class Csv {
    /**
     * Whether the first (non-skipped, non-blank) line is a header.
     * Immutable and thread-safe (an enum).
     */
    public enum Header {
        /**
         * A header if none of its kept cells is a number (every kept column of the data is numeric,
         * so a header must be non-numeric in all of them). A first line that mixes numbers and text
         * is read as data and its first non-number fails with the line and column; set
         * {@link #PRESENT} for a header with numeric names.
         */
        AUTO,
        /** Always a header. */
        PRESENT,
        /** No header: the first line is data. */
        ABSENT
    }

    private char delimiter = ',';
    private Header header = Header.AUTO;
    private int skipLines;
    private int[] columnIndices;
    private String[] columnNames;

    private Csv() {
    }

    /** A reader with the defaults: comma-separated, header detected, all columns. */
    public static Csv reader() {
        return new Csv();
    }

    /** The field delimiter (default {@code ','}). */
    public Csv delimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("Csv.delimiter: " + describe(delimiter) + " cannot be a delimiter");
        }
        this.delimiter = delimiter;
        return this;
    }

    /** Whether the first line is a header (default {@link Header#AUTO}). */
    public Csv header(Header header) {
        this.header = header;
        return this;
    }

    /** Lines to skip before the header or the data (default 0). */
    public Csv skipLines(int lines) {
        if (lines < 0) {
            throw new IllegalArgumentException("Csv.skipLines: need lines >= 0 but got " + lines);
        }
        this.skipLines = lines;
        return this;
    }

    /** Keeps only these columns (0-based, in this order). */
    public Csv columns(int... indices) {
        for (int c : indices) {
            if (c < 0) {
                throw new IllegalArgumentException("Csv.columns: column indices are 0-based and >= 0 but got " + c);
            }
        }
        this.columnIndices = indices.clone();
        this.columnNames = null;
        return this;
    }

    /** Keeps only the columns with these header names (in this order); the file must have a header. */
    public Csv columns(String... names) {
        this.columnNames = names.clone();
        this.columnIndices = null;
        return this;
    }

    /** Reads a file. */
    public CsvTable read(Path file) {
        return read(DataFiles.open(file), file.toString());
    }

    /** Reads a UTF-8 stream (closed afterwards); {@code source} names it in error messages. */
    public CsvTable read(InputStream in, String source) {
        return read(new InputStreamReader(DataFiles.decompressing(in, source), StandardCharsets.UTF_8), source);
    }

    /** Reads characters (closed afterwards); {@code source} names them in error messages. */
    public CsvTable read(Reader in, String source) {
        List<Row> rows = rows(in, source, delimiter, skipLines);
        if (rows.isEmpty()) {
            throw new MalformedDataException(source, "no data: the file holds no non-blank lines"
                    + (skipLines > 0 ? " after the " + skipLines + " skipped ones" : ""));
        }
        Row first = rows.get(0);
        boolean hasHeader = header == Header.PRESENT
                || header == Header.AUTO && (columnNames != null || noneNumeric(first.cells, columnIndices));
        if (columnNames != null && header == Header.ABSENT) {
            throw new IllegalArgumentException("Csv: columns were chosen by name " + Arrays.toString(columnNames)
                    + " but the header is set ABSENT; choose columns by index or set Header.PRESENT");
        }
        String[] head = hasHeader ? first.cells : null;
        int width = hasHeader ? head.length : first.cells.length;
        int[] keep = keptColumns(source, head, width);
        List<Row> data = hasHeader ? rows.subList(1, rows.size()) : rows;
        int n = data.size();
        int m = keep.length;
        double[] values = new double[n * m];
        int[] lines = new int[n];
        for (int r = 0; r < n; r++) {
            Row row = data.get(r);
            if (row.cells.length != width) {
                Row ref = hasHeader ? first : data.get(0);
                throw new MalformedDataException(source, row.line, -1, "this line has " + row.cells.length
                        + " columns but " + (hasHeader ? "the header" : "the first line") + " (line " + ref.line
                        + ") has " + width + "; every line needs the same number of " + describe(delimiter)
                        + "-separated fields");
            }
            lines[r] = row.line;
            for (int j = 0; j < m; j++) {
                int c = keep[j];
                values[r * m + j] = parse(source, row.line, c + 1, row.cells[c], head == null ? null : head[c],
                        r == 0 && header == Header.AUTO && !hasHeader);
            }
        }
        List<String> names = new ArrayList<>();
        if (head != null) {
            for (int c : keep) {
                names.add(head[c].trim());
            }
        }
        int[] columnNumbers = new int[m];
        for (int j = 0; j < m; j++) {
            columnNumbers[j] = keep[j] + 1;
        }
        return new CsvTable(source, names, values, n, m, lines, columnNumbers);
    }

    private int[] keptColumns(String source, String[] head, int width) {
        if (columnNames != null) {
            int[] keep = new int[columnNames.length];
            for (int j = 0; j < columnNames.length; j++) {
                keep[j] = -1;
                for (int c = 0; c < head.length; c++) {
                    if (head[c].trim().equals(columnNames[j])) {
                        keep[j] = c;
                        break;
                    }
                }
                if (keep[j] < 0) {
                    throw new IllegalArgumentException("Csv: " + source + " has no column named '" + columnNames[j]
                            + "'; its header is " + Arrays.toString(trimmed(head)));
                }
            }
            return keep;
        }
        if (columnIndices != null) {
            for (int c : columnIndices) {
                if (c >= width) {
                    throw new IllegalArgumentException("Csv: column index " + c + " (0-based) is out of range: "
                            + source + " has " + width + " columns");
                }
            }
            return columnIndices.clone();
        }
        int[] all = new int[width];
        for (int c = 0; c < width; c++) {
            all[c] = c;
        }
        return all;
    }

    private static String[] trimmed(String[] cells) {
        String[] t = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            t[i] = cells[i].trim();
        }
        return t;
    }

    static double parse(String source, int line, int column, String cell, String name) {
        return parse(source, line, column, cell, name, false);
    }

    /** {@code firstOfAuto}: the cell is on a first line that header detection took for data (it holds numbers). */
    private static double parse(String source, int line, int column, String cell, String name, boolean firstOfAuto) {
        String s = cell.trim();
        String where = name == null ? "" : " ('" + name.trim() + "')";
        if (s.isEmpty()) {
            throw new MalformedDataException(source, line, column, "empty cell" + where
                    + ": every kept cell must hold a number (drop the column with Csv.columns(...) if it is not needed)");
        }
        if (isNumber(s)) {
            return Double.parseDouble(s);
        }
        throw new MalformedDataException(source, line, column, "cannot parse '" + s + "'" + where
                + " as a number" + (firstOfAuto ? " (this first line also holds numbers, so it was read as data, not"
                + " as a header; if it is a header, set Csv.header(Header.PRESENT))" : ""));
    }

    /** A decimal number as written in CSV files (Java's parser alone also takes "1d", "0x1p3"). */
    static boolean isNumber(String s) {
        if (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity") || s.equals("+Infinity")) {
            return true;
        }
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && Character.isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    /**
     * Whether none of the kept cells ({@code keep == null}: all) of a line is a number while at least
     * one is kept: then it is a header. A line with any number among its kept cells is data.
     */
    private static boolean noneNumeric(String[] cells, int[] keep) {
        int kept = 0;
        for (int c = 0; c < cells.length; c++) {
            boolean isKept = keep == null;
            for (int k = 0; !isKept && k < keep.length; k++) {
                isKept = keep[k] == c;
            }
            if (isKept) {
                kept++;
                if (isNumber(cells[c].trim())) {
                    return false;
                }
            }
        }
        return kept > 0;
    }

    private static String describe(char c) {
        return c == '\t' ? "tab" : "'" + c + "'";
    }

    /** One non-blank line split into cells, with its 1-based line number. */
    static final class Row {
        final int line;
        final String[] cells;

        Row(int line, String[] cells) {
            this.line = line;
            this.cells = cells;
        }
    }

    /** The non-blank lines after {@code skip}, split into cells (quotes removed). */
    static List<Row> rows(Reader in, String source, char delimiter, int skip) {
        List<Row> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(in)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (no == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                if (no <= skip || line.isBlank()) {
                    continue;
                }
                out.add(new Row(no, split(source, no, line, delimiter)));
            }
        } catch (ZipException e) {
            throw new MalformedDataException(source, -1, -1, "corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new MalformedDataException(source, -1, -1, "truncated compressed data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Csv: cannot read " + source + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Splits one line; a field may be quoted with {@code "} (a doubled {@code ""} inside is one quote). */
    static String[] split(String source, int lineNo, String line, char delimiter) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int quoteStart = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.toString().isBlank()) {
                quoted = true;
                quoteStart = i;
                cur.setLength(0);
            } else if (c == delimiter) {
                cells.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new MalformedDataException(source, lineNo, cells.size() + 1, "unterminated quoted field (the quote at"
                    + " character " + (quoteStart + 1) + " is never closed; fields cannot span lines)");
        }
        cells.add(cur.toString());
        return cells.toArray(new String[0]);
    }
}
