package dev.nabla.examples.rnn;

import dev.nabla.data.Shuffle;
import dev.nabla.data.Standardizer;
import dev.nabla.data.TimeSeries;
import dev.nabla.examples.Example;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.examples.train.RunFiles;
import dev.nabla.ndarray.NDArray;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.MetricsLog;
import dev.nabla.train.Plots;
import dev.nabla.train.ProgressBar;
import dev.nabla.train.Seeds;
import dev.nabla.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code nabla train airline-lstm}: forecasting the monthly airline passengers (Box and Jenkins,
 * 1949-1960) with an LSTM. The split is chronological: the last {@value #TEST_MONTHS} months
 * (1959-1960) are the test part, everything before trains. The model works on the month-to-month
 * change of the logarithm, {@code d_t = log x_t − log x_(t−1)}, which turns the growing,
 * multiplicative series into a stationary one; {@code d} is standardized with a mean and standard
 * deviation fitted on the training part only. An LSTM of {@value #HIDDEN} units reads the last
 * {@value #WINDOW} changes and predicts the next; the forecast is {@code x̂_t = x_(t−1)·exp(d̂_t)}.
 * An epoch is one shuffled pass over the training windows (Adam, clipping at global norm
 * {@value #CLIP}). Printed: the one-step-ahead test RMSE (in thousands of passengers) and MAPE,
 * the same for a recursive forecast of the whole test part from the end of training (feeding back
 * its own predictions), and three baselines: seasonal naive {@code x_(t−12)}, last value
 * {@code x_(t−1)}, and seasonal drift {@code x_(t−1)·x_(t−12)/x_(t−13)}. {@code forecast.png}
 * plots forecasts against the truth.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class AirlineLstmExample implements Example {
    static final int TEST_MONTHS = 24;
    static final int WINDOW = 13;
    static final int HIDDEN = 16;
    static final double CLIP = 1.0;
    static final List<String> COLUMNS = List.of("train_loss", "test_rmse", "test_mape", "lr", "time_s");

    @Override
    public String name() {
        return "airline-lstm";
    }

    @Override
    public String description() {
        return "LSTM (16 units) forecasting airline passengers 1959-60 (log changes, scaled on 1949-58); RMSE, MAPE, forecast.png";
    }

    @Override
    public String dataSet() {
        return "airline passengers 1949-60 (144 months)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(60, 16, 0.01, "adam");
    }

    @Override
    public boolean canEvaluate() {
        return true;
    }

    /** The series, its standardized log changes, and the chronological split. */
    static final class Data {
        final double[] values;
        final List<String> times;
        /** First test index; values before it train. */
        final int cut;
        /** First index the model may predict (it needs WINDOW changes, which start at index 1). */
        final int first;
        /** Standardized log changes; element 0 is unused (0). */
        final double[] z;
        final double mean;
        final double std;

        Data(RunConfig cfg) {
            TimeSeries ts = series(cfg);
            double[] v = ts.values();
            int testMonths = cfg.testLimit > 0 ? Math.min(cfg.testLimit, TEST_MONTHS) : TEST_MONTHS;
            int cutAll = v.length - TEST_MONTHS;
            int from = cfg.trainLimit > 0 ? Math.max(0, cutAll - cfg.trainLimit) : 0;
            this.values = Arrays.copyOfRange(v, from, cutAll + testMonths);
            this.times = ts.times().subList(from, cutAll + testMonths);
            this.cut = cutAll - from;
            this.first = WINDOW + 1;
            if (cut < first + 1) {
                throw new IllegalArgumentException("airline-lstm: " + cut + " training months leave no training window of "
                        + WINDOW + " changes; raise --train-limit (at least " + (first + 1) + ")");
            }
            for (double x : values) {
                if (!(x > 0)) {
                    throw new IllegalArgumentException("airline-lstm: the series must be positive (it is modelled on a log "
                            + "scale), found " + x);
                }
            }
            double[] d = new double[values.length];
            for (int t = 1; t < values.length; t++) {
                d[t] = Math.log(values[t]) - Math.log(values[t - 1]);
            }
            Standardizer sc = Standardizer.fit(NDArray.of(Arrays.copyOfRange(d, 1, cut), cut - 1, 1));
            this.mean = sc.mean().getFlat(0);
            this.std = sc.std().getFlat(0);
            double[] zz = sc.transform(NDArray.of(Arrays.copyOfRange(d, 1, d.length), d.length - 1, 1)).toArray();
            this.z = new double[values.length];
            System.arraycopy(zz, 0, z, 1, zz.length);
        }

        private static TimeSeries series(RunConfig cfg) {
            if (cfg.dataDir == null) {
                return TimeSeries.airlinePassengers();
            }
            Path file = Files.isDirectory(cfg.dataDir) ? cfg.dataDir.resolve("airline-passengers.csv") : cfg.dataDir;
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("airline-lstm: --data-dir " + cfg.dataDir + " holds no "
                        + "airline-passengers.csv (columns \"Month\",\"Passengers\")");
            }
            return TimeSeries.readCsv(file, "Month", "Passengers");
        }

        /** Indices of the training targets. */
        int[] trainTargets() {
            int[] t = new int[cut - first];
            for (int i = 0; i < t.length; i++) {
                t[i] = first + i;
            }
            return t;
        }

        /** Indices of the test months. */
        int[] testTargets() {
            int[] t = new int[values.length - cut];
            for (int i = 0; i < t.length; i++) {
                t[i] = cut + i;
            }
            return t;
        }

        /** Passengers from a predicted standardized change at index t, given the value before it. */
        double undo(double zHat, double previous) {
            return previous * Math.exp(zHat * std + mean);
        }

        /** {x axis, truth} for plotting: years (1949.0, 1949.083, ...) when the labels are "YYYY-MM", else indices. */
        double[] axis() {
            double[] x = new double[values.length];
            for (int i = 0; i < x.length; i++) {
                String s = times.get(i);
                x[i] = s.matches("\\d{4}-\\d{2}") ? Integer.parseInt(s.substring(0, 4)) + (Integer.parseInt(s.substring(5)) - 1)
                        / 12.0 : i;
            }
            return x;
        }
    }

    /** Test forecasts and their errors. */
    static final class Forecast {
        final double[] oneStep;
        final double[] recursive;
        final double[] truth;

        Forecast(AirlineLstm model, Data data) {
            int[] test = data.testTargets();
            double[] zHat = model.predict(data.z, test, WINDOW);
            oneStep = new double[test.length];
            truth = new double[test.length];
            for (int i = 0; i < test.length; i++) {
                oneStep[i] = data.undo(zHat[i], data.values[test[i] - 1]);
                truth[i] = data.values[test[i]];
            }
            double[] zr = Arrays.copyOf(data.z, data.z.length);
            recursive = new double[test.length];
            double previous = data.values[data.cut - 1];
            for (int i = 0; i < test.length; i++) {
                int t = test[i];
                zr[t] = model.predict(zr, new int[] {t}, WINDOW)[0];
                previous = data.undo(zr[t], previous);
                recursive[i] = previous;
            }
        }
    }

    /** Root mean squared error. */
    static double rmse(double[] pred, double[] truth) {
        double s = 0;
        for (int i = 0; i < pred.length; i++) {
            s += (pred[i] - truth[i]) * (pred[i] - truth[i]);
        }
        return Math.sqrt(s / pred.length);
    }

    /** Mean absolute percentage error, in percent. */
    static double mape(double[] pred, double[] truth) {
        double s = 0;
        for (int i = 0; i < pred.length; i++) {
            s += Math.abs(pred[i] - truth[i]) / Math.abs(truth[i]);
        }
        return 100 * s / pred.length;
    }

    /** The baseline forecasts of the test part: seasonal naive, last value, seasonal drift. */
    static double[][] baselines(Data data) {
        int[] test = data.testTargets();
        double[][] b = new double[3][test.length];
        double[] v = data.values;
        for (int i = 0; i < test.length; i++) {
            int t = test[i];
            b[0][i] = v[t - 12];
            b[1][i] = v[t - 1];
            b[2][i] = v[t - 1] * v[t - 12] / v[t - 13];
        }
        return b;
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        run(ctx);
    }

    /**
     * Trains as {@link #train} does and returns the test figures: one-step RMSE and MAPE, recursive
     * RMSE, and the RMSE of the seasonal-naive, last-value and seasonal-drift baselines.
     */
    double[] run(RunContext ctx) throws IOException {
        long started = System.nanoTime();
        RunConfig cfg = ctx.config;
        Data data = new Data(cfg);
        AirlineLstm model = new AirlineLstm(HIDDEN, Seeds.random(cfg.seed, Seeds.INIT, 0));
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
        int[] targets = data.trainTargets();
        int printEvery = Math.max(1, cfg.epochs / 12);
        Path dir = ctx.dir();
        ctx.out.printf(Locale.ROOT, "airline-lstm: %d training months (%s to %s), %d test months (%s to %s); %d windows of %d "
                        + "log changes, standardized with mean %.5f and std %.5f from the training part%n", data.cut,
                data.times.get(0), data.times.get(data.cut - 1), data.values.length - data.cut, data.times.get(data.cut),
                data.times.get(data.values.length - 1), targets.length, WINDOW, data.mean, data.std);
        LrScheduler schedule = RnnRuns.schedule(cfg, opt, start);
        RunFiles.writeConfig(cfg);
        int stepsPerEpoch = (targets.length + cfg.batchSize - 1) / cfg.batchSize;
        try (MetricsLog log = MetricsLog.open(dir, COLUMNS, ctx.resumeDir != null ? start : -1);
             MetricsLog steps = RnnRuns.openSteps(dir, ctx.resumeDir != null ? start : -1);
             RnnBoard board = RnnBoard.open(ctx)) {
            for (int epoch = start + 1; epoch <= ctx.lastEpoch(); epoch++) {
                long t0 = System.nanoTime();
                int[] order = shuffled(targets, Seeds.random(cfg.seed, Seeds.SHUFFLE, epoch));
                ProgressBar bar = new ProgressBar(ctx.err, ctx.progress, String.format(Locale.ROOT, "epoch %d/%d", epoch,
                        cfg.epochs), order.length);
                double lossSum = 0;
                for (int s = 0; s < order.length; s += cfg.batchSize) {
                    int[] batch = Arrays.copyOfRange(order, s, Math.min(order.length, s + cfg.batchSize));
                    double l = model.trainStep(data.z, batch, WINDOW, CLIP, opt);
                    if (!Double.isFinite(l)) {
                        bar.finish();
                        throw new IllegalStateException("airline-lstm: training diverged (loss " + l + ") in epoch " + epoch
                                + "; lower the learning rate (--lr " + cfg.lr + ")");
                    }
                    lossSum += l * batch.length;
                    steps.append(epoch, (double) (epoch - 1) * stepsPerEpoch + s / cfg.batchSize + 1, l, opt.lr());
                    bar.step(batch.length, l);
                }
                bar.finish();
                Forecast f = new Forecast(model, data);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double[] row = {lossSum / order.length, rmse(f.oneStep, f.truth), mape(f.oneStep, f.truth), opt.lr(), seconds};
                history.add(row);
                if (schedule != null) {
                    schedule.step();
                }
                log.append(epoch, row);
                board.epoch(epoch, COLUMNS, row, model);
                boolean last = epoch == ctx.lastEpoch();
                if (epoch % printEvery == 0 || last || epoch == start + 1) {
                    ctx.out.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f (standardized)  test RMSE %.2f  MAPE %.2f%%  %.2fs%n",
                            epoch, cfg.epochs, row[0], row[1], row[2], seconds);
                }
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("hidden_size", Integer.toString(HIDDEN));
                meta.put("window", Integer.toString(WINDOW));
                meta.put("log_change_mean", Double.toString(data.mean));
                meta.put("log_change_std", Double.toString(data.std));
                RnnRuns.save(dir.resolve(Checkpoints.LAST), model, opt, history.state(), cfg, epoch, meta);
                if (epoch % printEvery == 0 || last) {
                    plots(dir, history, data, f);
                }
            }
            board.finish(ctx, history, Map.of());
        }
        RnnRuns.reportStop(ctx);
        double[] test = report(ctx, model, data);
        // no validation split, so no best epoch: model.safetensors is the last model; the preprocessing is the
        // standardization of the log changes (inputs are (log(x_t / x_(t-1)) - mean) / std)
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("hidden_size", Integer.toString(HIDDEN));
        meta.put("window", Integer.toString(WINDOW));
        RunFiles.exportModel(cfg, model, history.epochs(), Map.of(
                "preprocess.mean", NDArray.of(new double[] {data.mean}, 1),
                "preprocess.std", NDArray.of(new double[] {data.std}, 1)), meta);
        Map<String, Object> summary = RunFiles.summary(cfg.model, history.epochs(), Double.NaN, Double.NaN, null,
                (System.nanoTime() - started) / 1e9);
        summary.put("test_rmse", test[0]);
        summary.put("test_mape", test[1]);
        summary.put("test_rmse_recursive", test[2]);
        summary.put("baseline_rmse_seasonal_naive", test[3]);
        summary.put("baseline_rmse_last_value", test[4]);
        summary.put("baseline_rmse_seasonal_drift", test[5]);
        RunFiles.writeSummary(dir, summary);
        return test;
    }

    private static int[] shuffled(int[] a, Random rng) {
        int[] o = a.clone();
        Shuffle.inPlace(o, rng);
        return o;
    }

    /** Prints the test errors of the model and of the baselines; returns them as {@link #run} does. */
    static double[] report(RunContext ctx, AirlineLstm model, Data data) {
        Forecast f = new Forecast(model, data);
        double[][] b = baselines(data);
        String[] names = {"seasonal naive x(t-12)", "last value x(t-1)", "seasonal drift x(t-1)*x(t-12)/x(t-13)"};
        int n = f.truth.length;
        ctx.out.printf(Locale.ROOT, "test (%s to %s, %d months), errors in thousands of passengers:%n",
                data.times.get(data.cut), data.times.get(data.values.length - 1), n);
        ctx.out.printf(Locale.ROOT, "  %-48s RMSE %6.2f  MAPE %5.2f%%%n", "LSTM, one step ahead", rmse(f.oneStep, f.truth),
                mape(f.oneStep, f.truth));
        ctx.out.printf(Locale.ROOT, "  %-48s RMSE %6.2f  MAPE %5.2f%%%n", "LSTM, recursive from " + data.times.get(data.cut - 1),
                rmse(f.recursive, f.truth), mape(f.recursive, f.truth));
        for (int i = 0; i < b.length; i++) {
            ctx.out.printf(Locale.ROOT, "  %-48s RMSE %6.2f  MAPE %5.2f%%%n", "baseline: " + names[i], rmse(b[i], f.truth),
                    mape(b[i], f.truth));
        }
        return new double[] {rmse(f.oneStep, f.truth), mape(f.oneStep, f.truth), rmse(f.recursive, f.truth),
                rmse(b[0], f.truth), rmse(b[1], f.truth), rmse(b[2], f.truth)};
    }

    private static void plots(Path dir, History h, Data data, Forecast f) throws IOException {
        double[] e = h.epochAxis();
        Plots.lines(dir.resolve("loss.png"), "airline-lstm: training loss and test RMSE", "epoch", "value", List.of(
                new Plots.Series("train loss (standardized MSE)", e, h.column("train_loss")),
                new Plots.Series("test RMSE / 100 (thousand passengers)", e, scale(h.column("test_rmse"), 0.01))), true);
        double[] x = data.axis();
        double[] xt = Arrays.copyOfRange(x, data.cut, x.length);
        Plots.lines(dir.resolve("forecast.png"), "airline-lstm: passengers (thousands), test " + data.times.get(data.cut)
                        + " to " + data.times.get(x.length - 1), "year", "passengers (thousands)", List.of(
                new Plots.Series("truth", x, data.values),
                new Plots.Series("LSTM one step ahead", xt, f.oneStep),
                new Plots.Series("LSTM recursive", xt, f.recursive)), false);
    }

    private static double[] scale(double[] a, double k) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i] * k;
        }
        return o;
    }

    /** Checks that a checkpoint's model tensors are those of an {@link AirlineLstm} of {@code hidden} units. */
    static void checkTensors(Map<String, NDArray> model, int hidden, Path file, String op) {
        String why = "hidden_size " + hidden;
        RnnRuns.checkShape(model, "lstm.weight_ih_l0", new int[] {4 * hidden, 1}, why, file, op);
        RnnRuns.checkShape(model, "lstm.weight_hh_l0", new int[] {4 * hidden, hidden}, why, file, op);
        RnnRuns.checkShape(model, "head.weight", new int[] {1, hidden}, why, file, op);
    }

    @Override
    public void evaluate(RunContext ctx, Path checkpoint) throws IOException {
        Checkpoints.Contents c = Checkpoints.load(checkpoint);
        RnnRuns.checkModel(c.metadata, name(), checkpoint, "eval");
        int hidden = RnnRuns.intMeta(c.metadata, "hidden_size", checkpoint, 1, CharLstmExample.MAX_WIDTH);
        // converted (a version-1 file) with the module tree of a one-unit model, so that the size that comes
        // from the file is checked against its tensors before a model of that size is allocated
        c = Checkpoints.upgrade(c, new AirlineLstm(1, new Random(0)), ctx.err::println);
        checkTensors(c.model, hidden, checkpoint, "eval");
        AirlineLstm model = new AirlineLstm(hidden, new Random(0));
        model.loadStateDict(c.model, true);
        report(ctx, model, new Data(ctx.config));
    }
}
