package dev.nabla.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws {@code loss.png} (and {@code accuracy.png} when the objective has an accuracy) in the run
 * directory: training and validation curves per epoch ({@link Plots#lines}). It redraws at most
 * every 3 seconds during the run and always at its end, so plotting never costs a short epoch
 * much. Not thread-safe: the trainer's thread only.
 */
public final class PlotCallback implements Callback {
    private static final long INTERVAL_NANOS = 3_000_000_000L;
    private long lastPlot = System.nanoTime();

    /** A plotter for the run directory of the trainer it is given to. */
    public PlotCallback() {
    }

    @Override
    public void onEpochEnd(TrainContext ctx) throws IOException {
        if (System.nanoTime() - lastPlot > INTERVAL_NANOS) {
            plot(ctx);
        }
    }

    @Override
    public void onTrainEnd(TrainContext ctx) throws IOException {
        plot(ctx);
    }

    private void plot(TrainContext ctx) throws IOException {
        double[] trainLoss = ctx.history("train_loss");
        if (trainLoss.length == 0) {
            return;
        }
        double[] epochs = new double[trainLoss.length];
        for (int i = 0; i < epochs.length; i++) {
            epochs[i] = i + 1;
        }
        Path dir = ctx.runDir();
        Plots.lines(dir.resolve("loss.png"), ctx.title() + ": loss", "epoch", "loss", List.of(
                new Plots.Series("train", epochs, trainLoss),
                new Plots.Series("validation", epochs, ctx.history("val_loss"))), false);
        double[] acc = ctx.history("train_acc");
        if (Double.isFinite(acc[0])) {
            Plots.lines(dir.resolve("accuracy.png"), ctx.title() + ": accuracy", "epoch", "accuracy", List.of(
                    new Plots.Series("train", epochs, acc),
                    new Plots.Series("validation", epochs, ctx.history("val_acc"))), false);
        }
        lastPlot = System.nanoTime();
    }
}
