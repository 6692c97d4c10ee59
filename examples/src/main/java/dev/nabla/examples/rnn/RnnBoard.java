package dev.nabla.examples.rnn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.examples.train.RunContext;
import dev.nabla.nn.Module;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.TensorBoardCallback;
import dev.nabla.train.tensorboard.EventWriter;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * TensorBoard for the recurrent examples, which run their own loops rather than the library
 * Trainer: event files in the run directory with the config as text at the start and, per epoch
 * (step = epoch), {@code epoch/<column>} for every finite value of the metrics-log row (not the
 * wall time) and a histogram of every parameter ({@code params/<name>}) and of its last gradient
 * ({@code grads/<name>}), as the library's TensorBoardCallback logs them. Does nothing under
 * {@code --no-tensorboard}. Not thread-safe: the training thread only.
 */
final class RnnBoard implements Closeable {
    private final EventWriter writer;

    private RnnBoard(EventWriter writer) {
        this.writer = writer;
    }

    /** A board for the run of {@code ctx} (a no-op one when TensorBoard is off). */
    static RnnBoard open(RunContext ctx) throws IOException {
        if (!ctx.tensorBoard) {
            return new RnnBoard(null);
        }
        EventWriter w = EventWriter.open(ctx.dir());
        StringBuilder sb = new StringBuilder("| setting | value |\n|---|---|\n");
        for (Map.Entry<String, Object> e : ctx.config.toMap().entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ").append(String.valueOf(e.getValue()).replace("|", "\\|")).append(" |\n");
        }
        w.addText("config", sb.toString(), 0);
        return new RnnBoard(w);
    }

    /** Logs epoch {@code epoch}'s row (values of {@code columns}) and {@code model}'s parameters and gradients. */
    void epoch(int epoch, List<String> columns, double[] row, Module model) throws IOException {
        if (writer == null) {
            return;
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!columns.get(i).equals(Checkpoints.WALL_CLOCK_COLUMN) && Double.isFinite(row[i])) {
                writer.addScalar("epoch/" + columns.get(i), row[i], epoch);
            }
        }
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            writer.addHistogram("params/" + e.getKey(), e.getValue().data(), epoch);
            Variable g = e.getValue().grad();
            if (g != null) {
                writer.addHistogram("grads/" + e.getKey(), g.data(), epoch);
            }
        }
        writer.flush();
    }

    /**
     * The hparams session of the run (TensorBoard's HParams tab), as the library's TensorBoardCallback
     * writes it at the end of training: the config's numbers and strings, {@code hparam/<column>} of the
     * last epoch's finite values (not the wall time) and {@code extra} (e.g. {@code hparam/test_loss}).
     */
    void finish(RunContext ctx, History history, Map<String, Double> extra) throws IOException {
        if (writer == null || history.epochs() == 0) {
            return;
        }
        Map<String, Object> hp = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ctx.config.toMap().entrySet()) {
            if (e.getValue() instanceof Number || e.getValue() instanceof String) {
                hp.put(e.getKey(), e.getValue());
            }
        }
        Map<String, Double> metrics = new java.util.LinkedHashMap<>();
        for (String col : history.columns()) {
            double[] v = history.column(col);
            if (!col.equals(Checkpoints.WALL_CLOCK_COLUMN) && Double.isFinite(v[v.length - 1])) {
                metrics.put("hparam/" + col, v[v.length - 1]);
            }
        }
        for (Map.Entry<String, Double> e : extra.entrySet()) {
            if (Double.isFinite(e.getValue())) {
                metrics.put(e.getKey(), e.getValue());
            }
        }
        writer.addHparams(hp, metrics, TensorBoardCallback.HPARAMS_RUN, history.epochs());
        writer.flush();
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
