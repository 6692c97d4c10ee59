package dev.nabla.train;

import java.io.IOException;

/**
 * Writes the run's metrics logs in its directory: {@code metrics.jsonl}/{@code metrics.csv}, one
 * row per epoch with every column of {@link TrainContext#columns()}, and
 * {@code metrics_steps.jsonl}/{@code metrics_steps.csv}, one row per optimizer step
 * ({@link Trainer#STEP_COLUMNS}: global step, batch loss, learning rate). On resume from epoch k,
 * rows after epoch k are dropped first ({@link MetricsLog}), so every epoch and step appears once.
 * Not thread-safe: the trainer's thread only.
 */
public final class MetricsLogCallback implements Callback {
    private MetricsLog epochs;
    private MetricsLog steps;

    /** A logger of the run directory of the trainer it is given to. */
    public MetricsLogCallback() {
    }

    @Override
    public void onTrainStart(TrainContext ctx) throws IOException {
        int keep = ctx.startEpoch() > 0 ? ctx.startEpoch() : -1;
        epochs = MetricsLog.open(ctx.runDir(), ctx.columns(), keep);
        steps = MetricsLog.open(ctx.runDir(), Trainer.STEPS_JSONL, Trainer.STEPS_CSV, Trainer.STEP_COLUMNS, keep);
    }

    @Override
    public void onBatchEnd(TrainContext ctx) throws IOException {
        steps.append(ctx.epoch(), ctx.step(), ctx.batchLoss(), ctx.lr());
    }

    @Override
    public void onEpochEnd(TrainContext ctx) throws IOException {
        double[] v = new double[ctx.columns().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ctx.epochResult().get(ctx.columns().get(i));
        }
        epochs.append(ctx.epoch(), v);
    }

    @Override
    public void onTrainEnd(TrainContext ctx) throws IOException {
        close();
    }

    @Override
    public void onException(TrainContext ctx, Throwable error) {
        try {
            close();
        } catch (IOException e) {
            error.addSuppressed(e);
        }
    }

    private void close() throws IOException {
        try {
            if (epochs != null) {
                epochs.close();
            }
        } finally {
            epochs = null;
            if (steps != null) {
                steps.close();
            }
            steps = null;
        }
    }
}
