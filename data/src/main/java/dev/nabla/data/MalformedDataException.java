package dev.nabla.data;

/**
 * A data file whose content is not what its format requires: a wrong magic number, truncated
 * data, counts that do not match, a cell that is not a number. The message names the file and,
 * where it applies, the line and column.
 * Immutable once constructed, like any exception: safe to hand to another thread.
 */
public final class MalformedDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;

    /** A problem with the file as a whole (no line or column). */
    public MalformedDataException(String source, String problem) {
        this(source, -1, -1, problem, null);
    }

    /** A problem at a 1-based line and column ({@code -1} where not applicable). */
    public MalformedDataException(String source, int line, int column, String problem) {
        this(source, line, column, problem, null);
    }

    /** With the low-level exception that revealed the problem. */
    public MalformedDataException(String source, int line, int column, String problem, Throwable cause) {
        super(format(source, line, column, problem), cause);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    private static String format(String source, int line, int column, String problem) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(", line ").append(line);
        }
        if (column > 0) {
            sb.append(", column ").append(column);
        }
        return sb.append(": ").append(problem).toString();
    }

    /** The file or resource name. */
    public String source() {
        return source;
    }

    /** The 1-based line, or {@code -1}. */
    public int line() {
        return line;
    }

    /** The 1-based column, or {@code -1}. */
    public int column() {
        return column;
    }
}
