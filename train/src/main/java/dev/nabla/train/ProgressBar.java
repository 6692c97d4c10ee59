package dev.nabla.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar for one training epoch, redrawn in place with a carriage return (never a
 * new line per redraw): samples done, throughput (samples/s), running mean loss and the estimated
 * time left. The line never exceeds the terminal's width less one column (a line that fills the last
 * column makes some terminals wrap, which breaks the redraw): the width is {@code COLUMNS} from the
 * environment when it is set (shells set it but often do not export it), else 80. As the width
 * shrinks the bar gets shorter (down to 8 cells), then the throughput and then the sample counts
 * are left out; below that the line is cut. It redraws at most every {@code 100 ms} so that drawing
 * never costs training time, and it draws nothing at all when disabled (output to a file or a pipe).
 * Not thread-safe: update it from the training thread only.
 */
public final class ProgressBar {
    /** The width assumed when the environment does not say. */
    public static final int DEFAULT_COLUMNS = 80;
    private static final int MAX_CELLS = 30;
    private static final int MIN_CELLS = 8;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final String label;
    private final long total;
    private final long start;
    private final int columns;
    private long done;
    private double lossSum;
    private long lossCount;
    private long lastDraw;
    private int lastLength;

    /**
     * A bar labelled {@code label} (e.g. {@code "epoch 3/10"}) for {@code total} samples, drawn on
     * {@code err} when {@code enabled}, as wide as the terminal ({@link #terminalColumns()}).
     */
    public ProgressBar(PrintStream err, boolean enabled, String label, long total) {
        this(err, enabled, label, total, terminalColumns());
    }

    /** As above, for a terminal {@code columns} wide (at least 1). */
    public ProgressBar(PrintStream err, boolean enabled, String label, long total, int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("ProgressBar: the terminal width must be at least 1 column, got " + columns);
        }
        this.err = err;
        this.enabled = enabled && err != null;
        this.label = label;
        this.total = Math.max(total, 1);
        this.columns = columns;
        this.start = System.nanoTime();
        this.lastDraw = start - REDRAW_NANOS;
    }

    /** The terminal width: {@code COLUMNS} from the environment when it is a positive number, else {@value #DEFAULT_COLUMNS}. */
    public static int terminalColumns() {
        return columns(System.getenv("COLUMNS"));
    }

    /** {@code value} as a width when it is a positive integer, else {@value #DEFAULT_COLUMNS}. */
    static int columns(String value) {
        if (value != null) {
            try {
                int c = Integer.parseInt(value.trim());
                if (c > 0) {
                    return c;
                }
            } catch (NumberFormatException ignored) {
                // the default below
            }
        }
        return DEFAULT_COLUMNS;
    }

    /** Records a finished batch of {@code samples} samples with mean loss {@code batchLoss}. */
    public void step(int samples, double batchLoss) {
        done += samples;
        lossSum += batchLoss * samples;
        lossCount += samples;
        long now = System.nanoTime();
        if (enabled && (now - lastDraw >= REDRAW_NANOS || done >= total)) {
            lastDraw = now;
            draw(now);
        }
    }

    /** The running mean loss over the samples seen so far (NaN before the first batch). */
    public double runningLoss() {
        return lossCount == 0 ? Double.NaN : lossSum / lossCount;
    }

    /** Samples per second so far. */
    public double samplesPerSecond() {
        double s = (System.nanoTime() - start) / 1e9;
        return s <= 0 ? 0 : done / s;
    }

    /** Erases the bar so that the next line starts clean. */
    public void finish() {
        if (enabled && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
            lastLength = 0;
        }
    }

    /** The text of the bar at time {@code now}, at most {@code columns - 1} characters (package-private for tests). */
    String render(long now) {
        int room = Math.max(1, columns - 1);
        double frac = Math.min(1.0, (double) done / total);
        double elapsed = (now - start) / 1e9;
        double rate = elapsed > 0 ? done / elapsed : 0;
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        String pct = String.format(Locale.ROOT, "%3.0f%%", 100 * frac);
        String counts = String.format(Locale.ROOT, " %d/%d", done, total);
        String speed = String.format(Locale.ROOT, " %,.0f samples/s", rate);
        String tail = String.format(Locale.ROOT, " loss %.4f ETA %s", runningLoss(), formatDuration(eta));
        String[][] layouts = {{counts, speed}, {counts, ""}, {"", ""}};
        for (String[] l : layouts) {
            int fixed = label.length() + 1 + 2 + 1 + pct.length() + l[0].length() + l[1].length() + tail.length();
            int cells = Math.min(MAX_CELLS, room - fixed);
            if (cells >= MIN_CELLS) {
                return label + " " + bar(frac, cells) + " " + pct + l[0] + l[1] + tail;
            }
        }
        String s = label + " " + bar(frac, MIN_CELLS) + " " + pct + tail;
        return s.length() <= room ? s : s.substring(0, room);
    }

    private static String bar(double frac, int cells) {
        int filled = (int) Math.round(frac * cells);
        StringBuilder bar = new StringBuilder(cells + 2).append('[');
        for (int i = 0; i < cells; i++) {
            bar.append(i < filled ? '=' : (i == filled ? '>' : ' '));
        }
        return bar.append(']').toString();
    }

    private void draw(long now) {
        String s = render(now);
        int pad = Math.max(0, lastLength - s.length());
        err.print("\r" + s + " ".repeat(pad));
        err.flush();
        lastLength = s.length();
    }

    /** {@code m:ss} or {@code h:mm:ss}; {@code ?} for an unknown duration. */
    public static String formatDuration(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long r = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, r) : String.format(Locale.ROOT, "%d:%02d", m, r);
    }
}
