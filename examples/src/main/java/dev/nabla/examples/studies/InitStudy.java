package dev.nabla.examples.studies;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.examples.Example;
import dev.nabla.examples.models.MnistData;
import dev.nabla.train.Objective;
import dev.nabla.examples.train.Optimizers;
import dev.nabla.train.Plots;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.train.Seeds;
import dev.nabla.train.Callback;
import dev.nabla.train.Trainer;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Sigmoid;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the initial weight scale shapes the activations (<i>Deep Learning from Scratch</i> §6.2):
 * 1000 standard normal inputs of 100 features through five 100-unit layers, with weights drawn
 * with std 0.01, Xavier (σ = √(2/(fan_in+fan_out))) or He (σ = √(2/fan_in)), for sigmoid and for
 * ReLU; the activations of every layer as histograms ({@code init-sigmoid.png},
 * {@code init-relu.png}) and their standard deviations printed. Then the same three
 * initializations train a 784-100x4-10 ReLU network on MNIST (SGD, lr 0.01), whose loss curves go
 * to {@code init-training.png}.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class InitStudy implements Example {
    /** The initializations compared. */
    public static final List<String> INITS = List.of("std=0.01", "xavier", "he");
    private static final int LAYERS = 5;

    @Override
    public String name() {
        return "init-study";
    }

    @Override
    public String description() {
        return "activation histograms per layer for std 0.01, Xavier and He (sigmoid, ReLU) and their MNIST training curves";
    }

    @Override
    public String dataSet() {
        return "MNIST";
    }

    @Override
    public boolean isStudy() {
        return true;
    }

    @Override
    public Defaults defaults() {
        return new Defaults(1, 128, 0.01, "sgd");
    }

    /**
     * The activations after each of the five layers for inputs {@code (1000, 100)} drawn from
     * {@code seed}: {@code [layer][value]}.
     */
    public static double[][] activations(String init, Mlp.Activation act, long seed) {
        NDArray x = NDArray.randn(Seeds.random(seed, Seeds.DATA, 0), 1000, 100);
        Sequential net = Mlp.build(100, 100, LAYERS - 1, 100, act, Mlp.init(init), false, 0,
                Seeds.random(seed, Seeds.INIT, 0), null);
        List<dev.nabla.nn.Linear> linears = Mlp.linears(net);
        Module f = act == Mlp.Activation.RELU ? new ReLU() : new Sigmoid();
        double[][] out = new double[LAYERS][];
        try (Autograd.Scope s = Autograd.noGrad()) {
            Variable a = new Variable(x);
            for (int i = 0; i < LAYERS; i++) {
                a = f.call(linears.get(i).call(a));
                out[i] = a.data().toArray();
            }
        }
        return out;
    }

    static double std(double[] v) {
        double m = 0;
        for (double d : v) {
            m += d;
        }
        m /= v.length;
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return Math.sqrt(s / v.length);
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        RunConfig cfg = ctx.config;
        for (Mlp.Activation act : Mlp.Activation.values()) {
            String an = act == Mlp.Activation.RELU ? "relu" : "sigmoid";
            List<String> titles = new ArrayList<>();
            List<double[]> samples = new ArrayList<>();
            ctx.out.printf(Locale.ROOT, "%s activations, standard deviation per layer:%n", an);
            for (String init : INITS) {
                double[][] a = activations(init, act, cfg.seed);
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-9s", init));
                for (int l = 0; l < LAYERS; l++) {
                    titles.add(init + ", layer " + (l + 1));
                    samples.add(a[l]);
                    row.append(String.format(Locale.ROOT, "  %.2e", std(a[l])));
                }
                ctx.out.println(row);
            }
            double[] lo = new double[samples.size()];
            double[] hi = new double[samples.size()];
            java.util.Arrays.fill(hi, 1.0);
            Plots.histograms(ctx.dir().resolve("init-" + an + ".png"), titles.toArray(new String[0]),
                    samples.toArray(new double[0][]), 30, lo, hi, LAYERS);
        }
        MnistData d = MnistData.load(cfg);
        List<Plots.Series> series = new ArrayList<>();
        ctx.out.printf(Locale.ROOT, "MNIST, 784-100x4-10 ReLU, %s lr %s, batch %d, %d epoch(s):%n", cfg.optimizer, cfg.lr,
                cfg.batchSize, cfg.epochs);
        for (String init : INITS) {
            Module model = Mlp.build(784, 100, 4, 10, Mlp.Activation.RELU, Mlp.init(init), false, 0,
                    Seeds.random(cfg.seed, Seeds.INIT, 1), null);
            Optimizer opt = Optimizers.create(cfg.optimizer, model.parameters(), cfg.lr, cfg.weightDecay);
            List<Double> losses = new ArrayList<>();
            ctx.sub(cfg).trainer(model, opt).runDir(null).train(d.train)
                    .callback(Callback.atBatchEnd(c -> losses.add(c.batchLoss()))).build().fit();
            double[] l = new double[losses.size()];
            double[] it = new double[l.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = losses.get(i);
                it[i] = i + 1;
            }
            double acc = Trainer.evaluate(model, Objective.crossEntropy(), d.validation, 1000).accuracy;
            double last = 0;
            int k = Math.min(50, l.length);
            for (int i = l.length - k; i < l.length; i++) {
                last += l[i] / k;
            }
            ctx.out.printf(Locale.ROOT, "  %-9s final loss %.4f (mean of the last 50 iterations), validation accuracy %.2f%%%n",
                    init, last, 100 * acc);
            series.add(new Plots.Series(init, it, MovingAverage.trailing(l, 20)));
        }
        Plots.lines(ctx.dir().resolve("init-training.png"), "MNIST: training loss by weight initialization (ReLU)",
                "iteration", "loss", series, true);
        ctx.out.println("outputs in " + ctx.dir() + ": init-sigmoid.png, init-relu.png, init-training.png");
    }
}
