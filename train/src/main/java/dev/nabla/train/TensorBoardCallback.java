package dev.nabla.train;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Conv2d;
import dev.nabla.nn.Module;
import dev.nabla.train.tensorboard.EventWriter;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logs a run to TensorBoard event files in its run directory ({@link EventWriter}), so that
 * {@code tensorboard --logdir runs} shows every run side by side:
 *
 * <ul>
 *   <li>per optimizer step: {@value #STEP_LOSS} (the batch loss) and {@value #STEP_LR};</li>
 *   <li>per epoch (step = epoch): {@code epoch/<column>} for every finite value of the metrics log
 *       ({@code epoch/train_loss}, {@code epoch/val_acc}, ..., not the wall time), a histogram of
 *       every parameter ({@code params/<name>}) and of its gradient ({@code grads/<name>}, the last
 *       batch's), and, when the model has a {@link Conv2d}, the first one's filters as a grid
 *       image ({@code filters/<name>}, {@link FilterGrid});</li>
 *   <li>at the start: the run's settings as a Markdown table (text {@code config});</li>
 *   <li>at the end: hyperparameters (the settings) with the final figures as metrics
 *       ({@code hparam/<column>}, {@code hparam/test_loss}, {@code hparam/test_acc}) in the
 *       subdirectory {@value #HPARAMS_RUN}, for the HParams tab.</li>
 * </ul>
 *
 * Every value but the wall times is determined by the run; pass a fixed {@link Clock} for
 * byte-identical files. Scalars are float32, as TensorBoard stores them. Not thread-safe: the
 * trainer's thread only.
 */
public final class TensorBoardCallback implements Callback {
    /** Tag of the per-step batch loss. */
    public static final String STEP_LOSS = "train/loss";
    /** Tag of the per-step learning rate. */
    public static final String STEP_LR = "train/lr";
    /** The subdirectory of the run directory holding the hparams session. */
    public static final String HPARAMS_RUN = "hparams";

    private final Clock clock;
    private EventWriter writer;

    /** A logger with wall times from {@code clock}. */
    public TensorBoardCallback(Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /** The writer of the run (null outside {@link Trainer#fit}). */
    public EventWriter writer() {
        return writer;
    }

    @Override
    public void onTrainStart(TrainContext ctx) throws IOException {
        writer = EventWriter.open(ctx.runDir(), clock);
        writer.addText("config", configTable(ctx.config()), ctx.step());
    }

    @Override
    public void onBatchEnd(TrainContext ctx) throws IOException {
        writer.addScalar(STEP_LOSS, ctx.batchLoss(), ctx.step());
        writer.addScalar(STEP_LR, ctx.lr(), ctx.step());
    }

    @Override
    public void onEpochEnd(TrainContext ctx) throws IOException {
        int epoch = ctx.epoch();
        for (String col : ctx.columns()) {
            double v = ctx.epochResult().get(col);
            if (!col.equals(Checkpoints.WALL_CLOCK_COLUMN) && Double.isFinite(v)) {
                writer.addScalar("epoch/" + col, v, epoch);
            }
        }
        for (Map.Entry<String, Parameter> e : ctx.model().namedParameters().entrySet()) {
            writer.addHistogram("params/" + e.getKey(), e.getValue().data(), epoch);
            Variable g = e.getValue().grad();
            if (g != null) {
                writer.addHistogram("grads/" + e.getKey(), g.data(), epoch);
            }
        }
        for (Map.Entry<String, Module> e : ctx.model().namedModules().entrySet()) {
            if (e.getValue() instanceof Conv2d) {
                NDArray w = ((Conv2d) e.getValue()).weight().data();
                writer.addImage("filters/" + (e.getKey().isEmpty() ? "conv" : e.getKey()), image(FilterGrid.render(w, 8, 2)),
                        "HW", epoch);
                break;
            }
        }
        writer.flush();
    }

    @Override
    public void onTrainEnd(TrainContext ctx) throws IOException {
        try {
            Map<String, Object> hp = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ctx.config().entrySet()) {
                Object v = e.getValue();
                if (v instanceof Number || v instanceof String || v instanceof Boolean) {
                    hp.put(e.getKey(), v);
                }
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            Trainer.EpochResult last = ctx.epochResult();
            if (last != null) {
                for (String col : ctx.columns()) {
                    double v = last.get(col);
                    if (!col.equals(Checkpoints.WALL_CLOCK_COLUMN) && Double.isFinite(v)) {
                        metrics.put("hparam/" + col, v);
                    }
                }
            }
            Trainer.Score test = ctx.testScore();
            if (test != null) {
                if (Double.isFinite(test.loss)) {
                    metrics.put("hparam/test_loss", test.loss);
                }
                if (Double.isFinite(test.accuracy)) {
                    metrics.put("hparam/test_acc", test.accuracy);
                }
            }
            writer.addHparams(hp, metrics, HPARAMS_RUN, ctx.epoch());
        } finally {
            close();
        }
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
        if (writer != null) {
            EventWriter w = writer;
            writer = null;
            w.close();
        }
    }

    /** The settings as a two-column Markdown table (TensorBoard's text plugin renders Markdown). */
    static String configTable(Map<String, Object> config) {
        StringBuilder sb = new StringBuilder("| setting | value |\n|---|---|\n");
        for (Map.Entry<String, Object> e : config.entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ").append(String.valueOf(e.getValue()).replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** A grey image as an (H, W) array of values in [0, 1]. */
    static NDArray image(BufferedImage img) {
        Raster r = img.getRaster();
        int h = img.getHeight();
        int w = img.getWidth();
        double[] px = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (r.getSample(x, y, 0) + 0.5) / 255.0; // EventWriter truncates v * 255 back to the byte
            }
        }
        return NDArray.of(px, h, w);
    }
}
