package dev.nabla.examples.models;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.data.ArrayDataset;
import dev.nabla.data.TimeSeries;
import dev.nabla.examples.train.DataSplits;
import dev.nabla.examples.train.Objective;
import dev.nabla.examples.train.Plots;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.examples.train.SupervisedExample;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.RNNOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Forecasting the airline passengers series (monthly totals 1949-1960, in thousands) one month
 * ahead with an LSTM. The series is split by time: 1949-1956 trains, 1957 validates, 1958-1960
 * (36 months) is the test. The network sees the last 12 monthly log-changes
 * {@code log(v_t / v_{t-1})}, standardized with the mean and standard deviation of the training
 * months alone, and predicts the next one; the forecast is {@code v_{t-1} · exp(prediction)}. The
 * test error is reported in passengers (RMSE, MAPE) against two baselines (last month; same month
 * last year), and {@code airline-lstm.png} plots forecast against truth.
 */
public final class AirlineLstm extends SupervisedExample {
    /** Months of history the network sees. */
    public static final int WINDOW = 12;
    /** Hidden units. */
    public static final int HIDDEN = 32;
    /** First validation month (1957-01) and first test month (1958-01), as indices into the series. */
    public static final int VAL_START = 96;
    /** First test month. */
    public static final int TEST_START = 108;

    @Override
    public String name() {
        return "airline-lstm";
    }

    @Override
    public String description() {
        return "LSTM forecast of airline passengers (train 1949-56, test 1958-60, scaled on train); test RMSE and PNG";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(150, 16, 0.005, "adam");
    }

    /** LSTM over a (N, 12, 1) window, linear head on the last hidden state, one output per window. */
    static final class Net extends Module {
        private final LSTM lstm;
        private final Linear head;

        Net(Random rng) {
            lstm = registerModule("lstm", new LSTM(1, HIDDEN, RNNOptions.defaults().batchFirst(true), rng));
            head = registerModule("head", new Linear(HIDDEN, 1, rng));
        }

        @Override
        public Variable forward(Variable x) {
            Variable h = lstm.forward(x, null).h();
            return head.call(h.reshape(h.shape(1), HIDDEN));
        }
    }

    @Override
    protected Module build(RunConfig cfg, Random init, Random train) {
        return new Net(init);
    }

    @Override
    protected Objective objective() {
        return Objective.meanSquaredError();
    }

    @Override
    protected double clipNorm() {
        return 1.0;
    }

    /** The series, from {@code --data-dir/airline-passengers.csv} when given. */
    static double[] series(RunConfig cfg) {
        TimeSeries ts = cfg.dataDir == null ? TimeSeries.airlinePassengers()
                : TimeSeries.readCsv(cfg.dataDir.resolve("airline-passengers.csv"), "Month", "Passengers");
        return ts.values();
    }

    /** Monthly log-changes: {@code d[t] = log(v[t] / v[t-1])} for t ≥ 1 ({@code d[0]} is unused). */
    static double[] logChanges(double[] v) {
        double[] d = new double[v.length];
        for (int t = 1; t < v.length; t++) {
            d[t] = Math.log(v[t] / v[t - 1]);
        }
        return d;
    }

    /** Mean and standard deviation of the log-changes of the training months (targets t in [1, VAL_START)). */
    static double[] scaling(double[] d) {
        double m = 0;
        int n = VAL_START - 1;
        for (int t = 1; t < VAL_START; t++) {
            m += d[t];
        }
        m /= n;
        double s = 0;
        for (int t = 1; t < VAL_START; t++) {
            s += (d[t] - m) * (d[t] - m);
        }
        return new double[] {m, Math.sqrt(s / n)};
    }

    /** Windows whose target month t lies in [from, to): input z[t-12..t-1] as (12, 1), target z[t]. */
    static ArrayDataset windows(double[] z, int from, int to) {
        int first = Math.max(from, WINDOW + 1);
        int n = to - first;
        double[] x = new double[n * WINDOW];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int t = first + i;
            System.arraycopy(z, t - WINDOW, x, i * WINDOW, WINDOW);
            y[i] = z[t];
        }
        return ArrayDataset.of(NDArray.of(x, n, WINDOW, 1), NDArray.of(y, n, 1));
    }

    static double[] standardized(double[] v) {
        double[] d = logChanges(v);
        double[] ms = scaling(d);
        double[] z = new double[d.length];
        for (int t = 1; t < d.length; t++) {
            z[t] = (d[t] - ms[0]) / ms[1];
        }
        return z;
    }

    @Override
    protected DataSplits data(RunConfig cfg) {
        double[] v = series(cfg);
        double[] z = standardized(v);
        return new DataSplits(windows(z, 0, VAL_START), windows(z, VAL_START, TEST_START), windows(z, TEST_START, v.length));
    }

    /** One-month-ahead forecasts in passengers for target months [from, to). */
    static double[] forecast(Module model, double[] v, int from, int to) {
        double[] d = logChanges(v);
        double[] ms = scaling(d);
        double[] z = standardized(v);
        ArrayDataset w = windows(z, from, to);
        NDArray pred;
        model.eval();
        try (Autograd.Scope s = Autograd.noGrad()) {
            pred = model.call(new Variable(w.features())).data();
        }
        int first = Math.max(from, WINDOW + 1);
        double[] out = new double[to - first];
        for (int i = 0; i < out.length; i++) {
            int t = first + i;
            out[i] = v[t - 1] * Math.exp(pred.getFlat(i) * ms[1] + ms[0]);
        }
        return out;
    }

    /** {RMSE, MAPE} of {@code f} against {@code v[from..)}. */
    static double[] errors(double[] v, int from, double[] f) {
        double se = 0;
        double ape = 0;
        for (int i = 0; i < f.length; i++) {
            double e = f[i] - v[from + i];
            se += e * e;
            ape += Math.abs(e) / v[from + i];
        }
        return new double[] {Math.sqrt(se / f.length), 100 * ape / f.length};
    }

    @Override
    protected void report(RunContext ctx, Module model, DataSplits data) {
        double[] v = series(ctx.config);
        double[] f = forecast(model, v, TEST_START, v.length);
        double[] lastMonth = new double[f.length];
        double[] lastYear = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            lastMonth[i] = v[TEST_START + i - 1];
            lastYear[i] = v[TEST_START + i - 12];
        }
        double[] e = errors(v, TEST_START, f);
        double[] e1 = errors(v, TEST_START, lastMonth);
        double[] e12 = errors(v, TEST_START, lastYear);
        ctx.out.printf(Locale.ROOT, "test 1958-1960 (36 months), one month ahead, in thousands of passengers:%n");
        ctx.out.printf(Locale.ROOT, "  LSTM                     RMSE %6.2f  MAPE %5.2f%%%n", e[0], e[1]);
        ctx.out.printf(Locale.ROOT, "  baseline: last month     RMSE %6.2f  MAPE %5.2f%%%n", e1[0], e1[1]);
        ctx.out.printf(Locale.ROOT, "  baseline: a year before  RMSE %6.2f  MAPE %5.2f%%%n", e12[0], e12[1]);
    }

    /** Test RMSE of {@code model} in passengers (for tests). */
    public static double testRmse(Module model, RunConfig cfg) {
        double[] v = series(cfg);
        return errors(v, TEST_START, forecast(model, v, TEST_START, v.length))[0];
    }

    @Override
    protected void afterTraining(RunContext ctx, Module model) throws IOException {
        double[] v = series(ctx.config);
        double[] months = new double[v.length];
        for (int t = 0; t < v.length; t++) {
            months[t] = 1949 + t / 12.0;
        }
        double[] fit = forecast(model, v, 0, VAL_START);
        double[] val = forecast(model, v, VAL_START, TEST_START);
        double[] test = forecast(model, v, TEST_START, v.length);
        List<Plots.Series> s = new ArrayList<>();
        s.add(new Plots.Series("observed", months, v));
        s.add(new Plots.Series("fit (train)", slice(months, WINDOW + 1, VAL_START), fit));
        s.add(new Plots.Series("forecast (validation)", slice(months, VAL_START, TEST_START), val));
        s.add(new Plots.Series("forecast (test)", slice(months, TEST_START, v.length), test));
        Path png = ctx.dir().resolve("airline-lstm.png");
        Plots.lines(png, "airline passengers: one-month-ahead LSTM forecast", "year", "passengers (thousands)", s, false,
                org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        ctx.out.println("forecast plot: " + png);
    }

    private static double[] slice(double[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }
}
