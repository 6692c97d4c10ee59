package dev.nabla.examples.studies;

import dev.nabla.data.ArrayDataset;
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
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Batch normalization (<i>Deep Learning from Scratch</i> §6.3): a 784-100x5-10 ReLU network trained
 * on 1000 MNIST images with and without BatchNorm1d after every hidden layer, for several scales of
 * the initial weights (normal with std 1, 0.1, 0.01, 0.001). Without batch norm, training stalls
 * (or diverges) when the scale is off; with it, the network learns quickly at every scale. Training
 * accuracy per epoch (in eval mode; a diverged run's curve ends where its loss became NaN) goes to
 * {@code batchnorm-comparison.png}, one panel per scale.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class BatchNormComparison implements Example {
    /** Training images used. */
    public static final int TRAIN = 1000;
    /** The weight scales compared. */
    public static final double[] STDS = {1, 0.1, 0.01, 0.001};

    @Override
    public String name() {
        return "batchnorm-comparison";
    }

    @Override
    public String description() {
        return "784-100x5-10 with and without batch norm on 1000 MNIST images, for weight scales 1 to 0.001";
    }

    @Override
    public String dataSet() {
        return "MNIST (1,000 training images)";
    }

    @Override
    public boolean isStudy() {
        return true;
    }

    @Override
    public Defaults defaults() {
        return new Defaults(20, 100, 0.01, "sgd");
    }

    /** Training accuracy per epoch for weight scale {@code std}, without ({@code [0]}) and with ({@code [1]}) batch norm. */
    public static double[][] curves(RunContext ctx, ArrayDataset train, double std) throws IOException {
        RunConfig cfg = ctx.config;
        double[][] out = new double[2][cfg.epochs];
        for (int bn = 0; bn < 2; bn++) {
            Module model = Mlp.build(784, 100, 5, 10, Mlp.Activation.RELU, Mlp.init("std=" + std), bn == 1, 0,
                    Seeds.random(cfg.seed, Seeds.INIT, 0), null);
            Optimizer opt = Optimizers.create(cfg.optimizer, model.parameters(), cfg.lr, cfg.weightDecay);
            double[] acc = out[bn];
            java.util.Arrays.fill(acc, Double.NaN);
            ctx.sub(cfg).trainer(model, opt).runDir(null).train(train).tolerateDivergence(true)
                    .callback(Callback.atEpochEnd(c -> acc[c.epoch() - 1] =
                            Trainer.evaluate(model, Objective.crossEntropy(), train, 1000).accuracy))
                    .build().fit();
        }
        return out;
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "diverged" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        RunConfig cfg = ctx.config;
        MnistData d = MnistData.load(cfg);
        ArrayDataset train = d.train.range(0, Math.min(TRAIN, d.train.size()));
        ctx.out.printf(Locale.ROOT, "784-100x5-10 ReLU on %d MNIST images, %s lr %s, batch %d, %d epochs%n", train.size(),
                cfg.optimizer, cfg.lr, cfg.batchSize, cfg.epochs);
        ctx.out.printf(Locale.ROOT, "%-10s %22s %22s%n", "weight std", "train acc without BN", "train acc with BN");
        double[] epochs = new double[cfg.epochs];
        for (int i = 0; i < epochs.length; i++) {
            epochs[i] = i + 1;
        }
        List<List<Plots.Series>> panels = new ArrayList<>();
        String[] titles = new String[STDS.length];
        for (int i = 0; i < STDS.length; i++) {
            double[][] c = curves(ctx, train, STDS[i]);
            ctx.out.printf(Locale.ROOT, "%-10s %22s %22s%n", STDS[i], pct(c[0][cfg.epochs - 1]), pct(c[1][cfg.epochs - 1]));
            panels.add(List.of(new Plots.Series("without BN", epochs, c[0]), new Plots.Series("with BN", epochs, c[1])));
            titles[i] = "weight std " + STDS[i];
        }
        Plots.lineGrid(ctx.dir().resolve("batchnorm-comparison.png"), titles, panels, "epoch", "training accuracy", 2);
        ctx.out.println("outputs in " + ctx.dir() + ": batchnorm-comparison.png");
    }
}
