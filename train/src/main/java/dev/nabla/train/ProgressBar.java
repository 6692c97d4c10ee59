package dev.nabla.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar for one training epoch, redrawn in place with a carriage return:
 * samples done, throughput (samples/s), running mean loss and the estimated time left. It
 * redraws at most every {@code 100 ms} so that drawing never costs training time, and it draws
 * nothing at all when disabled (output to a file or a pipe).
 * Not thread-safe: update it from the training thread only.
 */
public final class ProgressBar {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final String label;
    private final long total;
    private final long start;
    private long done;
    private double lossSum;
    private long lossCount;
    private long lastDraw;
    private int lastLength;

    /**
     * A bar labelled {@code label} (e.g. {@code "epoch 3/10"}) for {@code total} samples, drawn on
     * {@code err} when {@code enabled}.
     */
    public ProgressBar(PrintStream err, boolean enabled, String label, long total) {
        this.err = err;
        this.enabled = enabled && err != null;
        this.label = label;
        this.total = Math.max(total, 1);
        this.start = System.nanoTime();
        this.lastDraw = start - REDRAW_NANOS;
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

    /** The text of the bar at time {@code now} (package-private for tests). */
    String render(long now) {
        double frac = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(frac * WIDTH);
        StringBuilder bar = new StringBuilder(WIDTH + 2).append('[');
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : (i == filled ? '>' : ' '));
        }
        bar.append(']');
        double elapsed = (now - start) / 1e9;
        double rate = elapsed > 0 ? done / elapsed : 0;
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        return String.format(Locale.ROOT, "%s %s %3.0f%% %d/%d  %,.0f samples/s  loss %.4f  ETA %s",
                label, bar, 100 * frac, done, total, rate, runningLoss(), formatDuration(eta));
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
