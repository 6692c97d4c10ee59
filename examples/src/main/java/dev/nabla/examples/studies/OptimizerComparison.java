package dev.nabla.examples.studies;

import dev.nabla.ndarray.io.AtomicFiles;
import dev.nabla.autograd.Parameter;
import dev.nabla.examples.Example;
import dev.nabla.examples.models.MnistData;
import dev.nabla.train.Objective;
import dev.nabla.train.Plots;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.train.Seeds;
import dev.nabla.train.Callback;
import dev.nabla.train.Trainer;
import dev.nabla.nn.Module;
import dev.nabla.optim.AdaGrad;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Momentum;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The optimizers of <i>Deep Learning from Scratch</i> §6.1.8 on MNIST: the same 784-100-100-100-100-10
 * ReLU network (He initialization, same initial weights) trained with SGD (lr 0.01), Momentum
 * (classic form, lr 0.01, γ 0.9), AdaGrad (lr 0.01) and Adam (lr 0.001) in batches of 128; the
 * training loss per iteration of all four in one PNG ({@code optimizer-comparison.png}, a moving
 * average over 20 iterations), the raw losses in {@code optimizer-comparison.csv}, and each one's
 * final loss and validation accuracy printed.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class OptimizerComparison implements Example {
    @Override
    public String name() {
        return "optimizer-comparison";
    }

    @Override
    public String description() {
        return "SGD, Momentum, AdaGrad, Adam on MNIST (784-100x4-10 ReLU): loss per iteration in one PNG";
    }

    @Override
    public String dataSet() {
        return "MNIST (55,000 train, 5,000 val)";
    }

    @Override
    public boolean isStudy() {
        return true;
    }

    @Override
    public Defaults defaults() {
        return new Defaults(2, 128, 0.01, "sgd");
    }

    /**
     * One optimizer's curve and results.
     * Effectively immutable once returned (final fields; treat its arrays as read-only), so safe to
     * share after publication.
     */
    public static final class Curve {
        /** Display name. */
        public final String name;
        /** Loss per iteration. */
        public final double[] loss;
        /** Validation accuracy at the end. */
        public final double valAccuracy;

        Curve(String name, double[] loss, double valAccuracy) {
            this.name = name;
            this.loss = loss;
            this.valAccuracy = valAccuracy;
        }

        /** Mean loss over the last {@code n} iterations. */
        public double finalLoss(int n) {
            double s = 0;
            int k = Math.min(n, loss.length);
            for (int i = loss.length - k; i < loss.length; i++) {
                s += loss[i];
            }
            return s / k;
        }
    }

    /** The four optimizers with the book's learning rates. */
    static List<Object[]> optimizers() {
        List<Object[]> list = new ArrayList<>();
        list.add(new Object[] {"SGD (lr 0.01)", (BiFunction<List<Parameter>, Double, Optimizer>) (p, wd) ->
                SGD.builder(p).lr(0.01).weightDecay(wd).build()});
        list.add(new Object[] {"Momentum (lr 0.01)", (BiFunction<List<Parameter>, Double, Optimizer>) (p, wd) ->
                new Momentum(p, 0.01, 0.9, wd)});
        list.add(new Object[] {"AdaGrad (lr 0.01)", (BiFunction<List<Parameter>, Double, Optimizer>) (p, wd) ->
                AdaGrad.builder(p).lr(0.01).weightDecay(wd).build()});
        list.add(new Object[] {"Adam (lr 0.001)", (BiFunction<List<Parameter>, Double, Optimizer>) (p, wd) ->
                Adam.builder(p).lr(0.001).weightDecay(wd).build()});
        return list;
    }

    /** Trains the network once per optimizer and returns the curves. */
    @SuppressWarnings("unchecked")
    public static List<Curve> compare(RunContext ctx) throws IOException {
        RunConfig cfg = ctx.config;
        MnistData d = MnistData.load(cfg);
        List<Curve> curves = new ArrayList<>();
        for (Object[] o : optimizers()) {
            String name = (String) o[0];
            Module model = Mlp.build(784, 100, 4, 10, Mlp.Activation.RELU, Mlp.init("he"), false, 0,
                    Seeds.random(cfg.seed, Seeds.INIT, 0), null);
            Optimizer opt = ((BiFunction<List<Parameter>, Double, Optimizer>) o[1]).apply(model.parameters(), cfg.weightDecay);
            List<Double> losses = new ArrayList<>();
            ctx.sub(cfg).trainer(model, opt).runDir(null).train(d.train)
                    .callback(Callback.atBatchEnd(c -> losses.add(c.batchLoss()))).build().fit();
            double acc = Trainer.evaluate(model, Objective.crossEntropy(), d.validation, 1000).accuracy;
            double[] l = new double[losses.size()];
            for (int i = 0; i < l.length; i++) {
                l[i] = losses.get(i);
            }
            curves.add(new Curve(name, l, acc));
            ctx.out.printf(Locale.ROOT, "%-20s final loss %.4f (mean of the last 50 iterations), validation accuracy %.2f%%%n",
                    name, curves.get(curves.size() - 1).finalLoss(50), 100 * acc);
        }
        return curves;
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        RunConfig cfg = ctx.config;
        ctx.out.printf(Locale.ROOT, "784-100-100-100-100-10 ReLU, He initialization, batch %d, %d epoch(s) of %s images each%n",
                cfg.batchSize, cfg.epochs, cfg.trainLimit > 0 ? Integer.toString(cfg.trainLimit) : "55000");
        List<Curve> curves = compare(ctx);
        List<Plots.Series> series = new ArrayList<>();
        StringBuilder csv = new StringBuilder("iteration");
        for (Curve c : curves) {
            csv.append(',').append(c.name.replace(",", ""));
        }
        csv.append('\n');
        int n = curves.get(0).loss.length;
        double[] it = new double[n];
        for (int i = 0; i < n; i++) {
            it[i] = i + 1;
            csv.append(i + 1);
            for (Curve c : curves) {
                csv.append(',').append(c.loss[i]);
            }
            csv.append('\n');
        }
        for (Curve c : curves) {
            series.add(new Plots.Series(c.name, it, MovingAverage.trailing(c.loss, 20)));
        }
        Plots.lines(ctx.dir().resolve("optimizer-comparison.png"),
                "MNIST: training loss per iteration (moving average of 20)", "iteration", "loss", series, true);
        AtomicFiles.writeString(ctx.dir().resolve("optimizer-comparison.csv"), csv.toString());
        ctx.out.println("outputs in " + ctx.dir() + ": optimizer-comparison.png, optimizer-comparison.csv");
    }
}
