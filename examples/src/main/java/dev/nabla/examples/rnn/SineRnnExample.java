package dev.nabla.examples.rnn;

import dev.nabla.data.Synthetic;
import dev.nabla.examples.Example;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.MetricsLog;
import dev.nabla.train.Trainer;
import dev.nabla.train.Plots;
import dev.nabla.train.ProgressBar;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunFiles;
import dev.nabla.examples.train.RunContext;
import dev.nabla.train.Seeds;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code nabla train sine-rnn}: next-value prediction on a noisy sine wave with a tanh RNN. The
 * series is {@value #LENGTH} samples of {@code sin} over {@value #CYCLES} cycles (period ≈ 25
 * samples) plus Gaussian noise σ = {@value #NOISE}; the first {@value #TRAIN} samples train, the
 * rest test. An epoch is {@value #STEPS_PER_EPOCH} Adam steps on random windows of
 * {@value #WINDOW} values (gradients clipped to global norm {@value #CLIP}). After every epoch the
 * one-step-ahead test MSE is printed (its floor is the noise variance σ² = 0.01) together with the
 * MSE against the noise-free sine, and {@code prediction.png} plots prediction against truth.
 * {@code --train-limit}/{@code --test-limit} keep only the first N training/test samples.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class SineRnnExample implements Example {
    static final int LENGTH = 1000;
    static final int CYCLES = 40;
    static final double NOISE = 0.1;
    static final int TRAIN = 800;
    static final int HIDDEN = 16;
    static final int WINDOW = 24;
    static final int STEPS_PER_EPOCH = 50;
    static final double CLIP = 1.0;
    static final List<String> COLUMNS = List.of("train_loss", "test_mse", "test_mse_clean", "lr", "time_s");

    @Override
    public String name() {
        return "sine-rnn";
    }

    @Override
    public String description() {
        return "tanh RNN (16 units) predicting the next value of a noisy sine wave; test MSE and prediction.png";
    }

    @Override
    public String dataSet() {
        return "synthetic noisy sine wave (1,000 samples: 800 train, 200 test)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(16, 16, 0.01, "adam");
    }

    @Override
    public boolean canEvaluate() {
        return true;
    }

    /** The observed (noisy) series, its noise-free version, and where the test part starts. */
    static final class Data {
        final double[] series;
        final double[] clean;
        final int cut;

        Data(RunConfig cfg) {
            double[] noisy = Synthetic.sineWave(Seeds.random(cfg.seed, Seeds.DATA, 0), LENGTH, CYCLES, NOISE);
            double[] sine = Synthetic.sineWave(new Random(0), LENGTH, CYCLES, 0);
            int train = cfg.trainLimit > 0 ? Math.min(cfg.trainLimit, TRAIN) : TRAIN;
            int test = cfg.testLimit > 0 ? Math.min(cfg.testLimit, LENGTH - TRAIN) : LENGTH - TRAIN;
            if (train < WINDOW + 1) {
                throw new IllegalArgumentException("sine-rnn: --train-limit " + cfg.trainLimit + " leaves fewer than "
                        + (WINDOW + 1) + " training values (one window)");
            }
            // Training values are the last `train` before the cut, so the test part always follows them.
            this.series = Arrays.copyOfRange(noisy, TRAIN - train, TRAIN + test);
            this.clean = Arrays.copyOfRange(sine, TRAIN - train, TRAIN + test);
            this.cut = train;
        }

        double[] train() {
            return Arrays.copyOf(series, cut);
        }

        /** MSE of predicting each test value by the one before it. */
        double persistenceMse() {
            double s = 0;
            for (int i = cut; i < series.length; i++) {
                s += (series[i] - series[i - 1]) * (series[i] - series[i - 1]);
            }
            return s / (series.length - cut);
        }
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        run(ctx);
    }

    /** Trains as {@link #train} does and returns the final test MSE. */
    double run(RunContext ctx) throws IOException {
        long started = System.nanoTime();
        RunConfig cfg = ctx.config;
        Data data = new Data(cfg);
        double[] train = data.train();
        SineRnn model = new SineRnn(HIDDEN, Seeds.random(cfg.seed, Seeds.INIT, 0));
        Optimizer opt = RnnRuns.optimizer(cfg, model.parameters());
        History history = new History(COLUMNS);
        int start = 0;
        if (ctx.resumeDir != null) {
            Checkpoints.Contents c = Checkpoints.upgrade(RnnRuns.resume(ctx), model, ctx.err::println);
            model.loadStateDict(c.model, true);
            opt.loadStateDict(c.optimizer);
            start = c.epoch();
            history.restore(c.trainer, start, ctx.resumeDir.resolve(Checkpoints.LAST));
        }
        Path dir = ctx.dir();
        LrScheduler schedule = RnnRuns.schedule(cfg, opt, start);
        RunFiles.writeConfig(cfg);
        try (MetricsLog log = MetricsLog.open(dir, COLUMNS, ctx.resumeDir != null ? start : -1);
             MetricsLog steps = RnnRuns.openSteps(dir, ctx.resumeDir != null ? start : -1);
             RnnBoard board = RnnBoard.open(ctx)) {
            for (int epoch = start + 1; epoch <= ctx.lastEpoch(); epoch++) {
                long t0 = System.nanoTime();
                Random rng = Seeds.random(cfg.seed, Seeds.SHUFFLE, epoch);
                ProgressBar bar = new ProgressBar(ctx.err, ctx.progress, String.format(Locale.ROOT, "epoch %d/%d", epoch,
                        cfg.epochs), (long) STEPS_PER_EPOCH * cfg.batchSize);
                double lossSum = 0;
                for (int s = 0; s < STEPS_PER_EPOCH; s++) {
                    double l = model.trainStep(train, WINDOW, cfg.batchSize, CLIP, opt, rng);
                    if (!Double.isFinite(l)) {
                        bar.finish();
                        throw new IllegalStateException("sine-rnn: training diverged (loss " + l + ") in epoch " + epoch
                                + "; lower the learning rate (--lr " + cfg.lr + ")");
                    }
                    lossSum += l;
                    steps.append(epoch, (double) (epoch - 1) * STEPS_PER_EPOCH + s + 1, l, opt.lr());
                    bar.step(cfg.batchSize, l);
                }
                bar.finish();
                double testMse = model.mse(data.series, data.series, data.cut);
                double cleanMse = model.mse(data.series, data.clean, data.cut);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double[] row = {lossSum / STEPS_PER_EPOCH, testMse, cleanMse, opt.lr(), seconds};
                history.add(row);
                if (schedule != null) {
                    schedule.step();
                }
                log.append(epoch, row);
                board.epoch(epoch, COLUMNS, row, model);
                ctx.out.printf(Locale.ROOT, "epoch %d/%d  train mse %.5f  test mse %.5f (vs noise-free sine %.5f)  %.1fs%n",
                        epoch, cfg.epochs, row[0], testMse, cleanMse, seconds);
                Map<String, String> meta = Map.of("hidden_size", Integer.toString(HIDDEN));
                RnnRuns.save(dir.resolve(Checkpoints.LAST), model, opt, history.state(), cfg, epoch, meta);
                plots(dir, history, model, data);
            }
            board.finish(ctx, history, Map.of("hparam/test_loss", model.mse(data.series, data.series, data.cut)));
        }
        RnnRuns.reportStop(ctx);
        double mse = report(ctx, model, data);
        // no validation split, so no best epoch: model.safetensors is the last model
        RunFiles.exportModel(cfg, model, history.epochs(), Map.of(), Map.of("hidden_size", Integer.toString(HIDDEN)));
        Map<String, Object> summary = RunFiles.summary(cfg.model, history.epochs(), mse, Double.NaN, null,
                (System.nanoTime() - started) / 1e9);
        summary.put("test_mse_noise_free", model.mse(data.series, data.clean, data.cut));
        summary.put("persistence_mse", data.persistenceMse());
        RunFiles.writeSummary(dir, summary);
        return mse;
    }

    /** Prints the test figures; returns the test MSE. */
    private static double report(RunContext ctx, SineRnn model, Data data) {
        double mse = model.mse(data.series, data.series, data.cut);
        ctx.out.printf(Locale.ROOT, "test MSE %.5f over %d one-step-ahead predictions (noise variance %.4f is the floor; "
                        + "persistence baseline %.5f); MSE against the noise-free sine %.5f%n",
                mse, data.series.length - data.cut, NOISE * NOISE, data.persistenceMse(),
                model.mse(data.series, data.clean, data.cut));
        return mse;
    }

    private static void plots(Path dir, History h, SineRnn model, Data data) throws IOException {
        double[] e = h.epochAxis();
        Plots.lines(dir.resolve("loss.png"), "sine-rnn: mean squared error", "epoch", "MSE", List.of(
                new Plots.Series("train", e, h.column("train_loss")),
                new Plots.Series("test", e, h.column("test_mse"))), true);
        double[] p = model.predictNext(data.series);
        int n = data.series.length - data.cut;
        double[] t = new double[n];
        double[] truth = new double[n];
        double[] clean = new double[n];
        double[] pred = new double[n];
        for (int i = 0; i < n; i++) {
            int k = data.cut + i;
            t[i] = k;
            truth[i] = data.series[k];
            clean[i] = data.clean[k];
            pred[i] = p[k - 1];
        }
        Plots.lines(dir.resolve("prediction.png"), "sine-rnn: one-step-ahead prediction on the test part", "t", "value",
                List.of(new Plots.Series("observed (noisy)", t, truth), new Plots.Series("noise-free sine", t, clean),
                        new Plots.Series("prediction", t, pred)), false);
    }

    @Override
    public void evaluate(RunContext ctx, Path checkpoint) throws IOException {
        Checkpoints.Contents c = Checkpoints.load(checkpoint);
        RnnRuns.checkModel(c.metadata, name(), checkpoint, "eval");
        SineRnn model = new SineRnn(RnnRuns.intMeta(c.metadata, "hidden_size", checkpoint), new Random(0));
        c = Checkpoints.upgrade(c, model, ctx.err::println);
        model.loadStateDict(c.model, true);
        report(ctx, model, new Data(ctx.config));
    }
}
