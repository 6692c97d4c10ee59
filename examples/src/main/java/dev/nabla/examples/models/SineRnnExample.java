package dev.nabla.examples.models;

import dev.nabla.autograd.Variable;
import dev.nabla.data.ArrayDataset;
import dev.nabla.examples.rnn.SineRnn;
import dev.nabla.examples.train.DataSplits;
import dev.nabla.examples.train.Objective;
import dev.nabla.examples.train.Plots;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.examples.train.Seeds;
import dev.nabla.examples.train.SupervisedExample;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Next-value prediction on a noisy sine wave ({@code sin(2πt/25 + φ) + N(0, 0.1²)}) with a tanh RNN
 * of 32 units ({@link SineRnn}). Training and validation use windows of 24 steps cut from their own
 * series (every 4 steps); the test runs the trained network over a fresh series of 500 steps from a
 * zero state, one step ahead, and reports its mean squared error against the noise floor (0.01)
 * and the last-value baseline. {@code sine-rnn.png} plots prediction against truth.
 */
public final class SineRnnExample extends SupervisedExample {
    /** Samples per period. */
    public static final double PERIOD = 25;
    /** Standard deviation of the noise. */
    public static final double NOISE = 0.1;
    /** Window length of training samples. */
    public static final int WINDOW = 24;
    /** Predictions skipped at the start of the test series (too little context). */
    public static final int WARMUP = 10;

    @Override
    public String name() {
        return "sine-rnn";
    }

    @Override
    public String description() {
        return "tanh RNN (32 units) predicting the next value of a noisy sine; test MSE vs noise floor, prediction PNG";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(20, 16, 0.01, "adam");
    }

    /** Runs a time-major model on batch-first windows: (N, T, F) in, (N, T, F) out. */
    static final class BatchFirst extends Module {
        final SineRnn inner;

        BatchFirst(SineRnn inner) {
            this.inner = registerModule("rnn", inner);
        }

        @Override
        public Variable forward(Variable x) {
            return inner.call(x.permute(1, 0, 2)).permute(1, 0, 2);
        }
    }

    @Override
    protected Module build(RunConfig cfg, Random init, Random train) {
        return new BatchFirst(new SineRnn(32, init));
    }

    @Override
    protected Objective objective() {
        return Objective.meanSquaredError();
    }

    @Override
    protected double clipNorm() {
        return 1.0;
    }

    /** A fresh noisy series for part {@code part} (0 train, 1 validation, 2 test) of run seed {@code seed}. */
    static double[] series(long seed, int part, int length) {
        return SineRnn.noisySine(length, PERIOD, NOISE, Seeds.random(seed, Seeds.DATA, part));
    }

    /** Windows of {@code WINDOW} inputs and the same window shifted by one as targets, every {@code stride} steps. */
    static ArrayDataset windows(double[] s, int stride) {
        int n = (s.length - WINDOW - 1) / stride + 1;
        double[] x = new double[n * WINDOW];
        double[] y = new double[n * WINDOW];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s, i * stride, x, i * WINDOW, WINDOW);
            System.arraycopy(s, i * stride + 1, y, i * WINDOW, WINDOW);
        }
        return ArrayDataset.of(NDArray.of(x, n, WINDOW, 1), NDArray.of(y, n, WINDOW, 1));
    }

    @Override
    protected DataSplits data(RunConfig cfg) {
        ArrayDataset train = windows(series(cfg.seed, 0, 2000), 4);
        if (cfg.trainLimit > 0 && cfg.trainLimit < train.size()) {
            train = train.range(0, cfg.trainLimit);
        }
        return new DataSplits(train, windows(series(cfg.seed, 1, 500), 4), windows(series(cfg.seed, 2, 500), 4));
    }

    /** Test MSE of one-step-ahead prediction over the whole test series (after the warm-up). */
    public static double testMse(Module model, RunConfig cfg) {
        model.eval();
        return ((BatchFirst) model).inner.evaluate(series(cfg.seed, 2, 500), WARMUP);
    }

    @Override
    protected void report(RunContext ctx, Module model, DataSplits data) {
        double[] s = series(ctx.config.seed, 2, 500);
        double persistence = 0;
        for (int t = WARMUP; t < s.length - 1; t++) {
            persistence += (s[t] - s[t + 1]) * (s[t] - s[t + 1]);
        }
        persistence /= s.length - 1 - WARMUP;
        ctx.out.printf(Locale.ROOT, "test series (500 steps, one step ahead from a zero state): MSE %.4f; noise floor %.4f; "
                + "last-value baseline %.4f%n", testMse(model, ctx.config), NOISE * NOISE, persistence);
    }

    @Override
    protected void afterTraining(RunContext ctx, Module model) throws IOException {
        double[] s = series(ctx.config.seed, 2, 500);
        double[] p = ((BatchFirst) model).inner.predictNext(s);
        int n = 150;
        double[] t = new double[n];
        double[] truth = new double[n];
        double[] pred = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i + 1;
            truth[i] = s[i + 1];
            pred[i] = p[i];
        }
        Path png = ctx.dir().resolve("sine-rnn.png");
        Plots.lines(png, "noisy sine: one-step-ahead prediction (test series)", "step", "value",
                List.of(new Plots.Series("observed", t, truth), new Plots.Series("RNN prediction", t, pred)), false,
                org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        ctx.out.println("prediction plot: " + png);
    }
}
