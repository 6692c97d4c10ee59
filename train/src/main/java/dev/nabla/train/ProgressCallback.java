package dev.nabla.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The console side of a run: a {@link ProgressBar} per epoch on {@code err} (when enabled) and a
 * one-line summary per epoch on {@code out} (every epoch for runs of up to 30 epochs, else about
 * 20 of them; {@code metrics.csv} has every one), marked {@code *} when the epoch is the best so far.
 * Not thread-safe: the trainer's thread only.
 */
public final class ProgressCallback implements Callback {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean bar;
    private ProgressBar current;

    /** Summaries to {@code out}; bars to {@code err} when {@code bar}. */
    public ProgressCallback(PrintStream out, PrintStream err, boolean bar) {
        this.out = out;
        this.err = err;
        this.bar = bar;
    }

    @Override
    public void onEpochStart(TrainContext ctx) {
        current = new ProgressBar(err, bar, String.format(Locale.ROOT, "epoch %" + digits(ctx.epochs()) + "d/%d",
                ctx.epoch(), ctx.epochs()), ctx.samplesPerEpoch());
    }

    @Override
    public void onBatchEnd(TrainContext ctx) {
        current.step(ctx.batch().size(), ctx.batchLoss());
        if (ctx.batchIndex() == ctx.batchesPerEpoch() - 1) {
            current.finish(); // before validation
        }
    }

    @Override
    public void onEpochEnd(TrainContext ctx) {
        finish();
        if (printed(ctx.epoch(), ctx.startEpoch(), ctx.epochs())) {
            boolean val = Double.isFinite(ctx.epochResult().valLoss);
            out.println(summary(ctx.epoch(), ctx.epochs(), ctx.epochResult()) + (ctx.improved() && val ? "  *" : ""));
        }
    }

    @Override
    public void onTrainEnd(TrainContext ctx) {
        finish();
    }

    @Override
    public void onException(TrainContext ctx, Throwable error) {
        finish();
    }

    private void finish() {
        if (current != null) {
            current.finish();
            current = null;
        }
    }

    /**
     * Whether epoch's summary line is printed: always for runs of up to 30 epochs, else the first,
     * the last and about 20 evenly spaced ones (metrics.csv has every epoch).
     */
    static boolean printed(int epoch, int start, int epochs) {
        if (epochs <= 30 || epoch == start + 1 || epoch == epochs) {
            return true;
        }
        int every = (epochs + 19) / 20;
        return epoch % every == 0;
    }

    private static int digits(int n) {
        return Integer.toString(Math.max(n, 1)).length();
    }

    /** The one-line epoch summary. */
    public static String summary(int epoch, int epochs, Trainer.EpochResult r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d  train loss %.4f",
                epoch, epochs, r.trainLoss));
        if (Double.isFinite(r.trainAcc)) {
            sb.append(String.format(Locale.ROOT, " acc %.2f%%", 100 * r.trainAcc));
        }
        if (Double.isFinite(r.valLoss)) {
            sb.append(String.format(Locale.ROOT, "  val loss %.4f", r.valLoss));
            if (Double.isFinite(r.valAcc)) {
                sb.append(String.format(Locale.ROOT, " acc %.2f%%", 100 * r.valAcc));
            }
        }
        sb.append(String.format(Locale.ROOT, "  %.1fs", r.seconds));
        return sb.toString();
    }
}
