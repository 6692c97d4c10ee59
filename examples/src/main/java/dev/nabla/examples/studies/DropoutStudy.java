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
import java.util.Random;

/**
 * Overfitting and dropout (<i>Deep Learning from Scratch</i> §6.4): a deep 784-100x6-10 ReLU network
 * trained on only 300 MNIST images memorizes them — training accuracy near 100% while validation
 * accuracy stalls far below; the same network with dropout (p = 0.2 after each hidden layer) closes
 * much of that gap. Both start from the same weights; the accuracy curves go to
 * {@code dropout-study.png} and the final figures are printed.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class DropoutStudy implements Example {
    /** Training images used (a deliberately small set). */
    public static final int TRAIN = 300;
    /** Validation images evaluated after every epoch. */
    public static final int VALIDATION = 1000;
    /** Dropout probability of the regularized network. */
    public static final double P = 0.2;

    @Override
    public String name() {
        return "dropout-study";
    }

    @Override
    public String description() {
        return "overfitting on 300 MNIST images with and without dropout (784-100x6-10): train vs validation accuracy";
    }

    @Override
    public String dataSet() {
        return "MNIST (300 training images)";
    }

    @Override
    public boolean isStudy() {
        return true;
    }

    @Override
    public Defaults defaults() {
        return new Defaults(200, 100, 0.01, "sgd");
    }

    /**
     * One configuration's curves.
     * Effectively immutable once returned (final fields; treat its arrays as read-only), so safe to
     * share after publication.
     */
    public static final class Result {
        /** Dropout probability. */
        public final double p;
        /** Training accuracy per epoch (measured in eval mode on the 300 images). */
        public final double[] trainAcc;
        /** Validation accuracy per epoch. */
        public final double[] valAcc;

        Result(double p, double[] trainAcc, double[] valAcc) {
            this.p = p;
            this.trainAcc = trainAcc;
            this.valAcc = valAcc;
        }

        /** Training minus validation accuracy at the end. */
        public double gap() {
            return trainAcc[trainAcc.length - 1] - valAcc[valAcc.length - 1];
        }
    }

    /** Trains without and with dropout on {@code TRAIN} images; validates on {@code validation} images. */
    public static List<Result> run(RunContext ctx, int validation) throws IOException {
        RunConfig cfg = ctx.config;
        MnistData d = MnistData.load(cfg);
        ArrayDataset train = d.train.range(0, Math.min(TRAIN, d.train.size()));
        ArrayDataset val = d.validation.range(0, Math.min(validation, d.validation.size()));
        List<Result> results = new ArrayList<>();
        for (double p : new double[] {0, P}) {
            Random dropRng = new Random(0);
            Module model = Mlp.build(784, 100, 6, 10, Mlp.Activation.RELU, Mlp.init("he"), false, p,
                    Seeds.random(cfg.seed, Seeds.INIT, 0), dropRng);
            Optimizer opt = Optimizers.create(cfg.optimizer, model.parameters(), cfg.lr, cfg.weightDecay);
            int epochs = cfg.epochs;
            double[] trainAcc = new double[epochs];
            double[] valAcc = new double[epochs];
            ctx.sub(cfg).trainer(model, opt).runDir(null).train(train).validation(val).modelRng(dropRng)
                    .callback(Callback.atEpochEnd(c -> {
                        trainAcc[c.epoch() - 1] = Trainer.evaluate(model, Objective.crossEntropy(), train, 1000).accuracy;
                        valAcc[c.epoch() - 1] = c.epochResult().valAcc;
                    }))
                    .build().fit();
            results.add(new Result(p, trainAcc, valAcc));
        }
        return results;
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        RunConfig cfg = ctx.config;
        ctx.out.printf(Locale.ROOT, "784-100x6-10 ReLU (He init) on %d MNIST images, %s lr %s, batch %d, %d epochs%n",
                TRAIN, cfg.optimizer, cfg.lr, cfg.batchSize, cfg.epochs);
        List<Result> results = run(ctx, VALIDATION);
        List<Plots.Series> series = new ArrayList<>();
        double[] epochs = new double[cfg.epochs];
        for (int i = 0; i < epochs.length; i++) {
            epochs[i] = i + 1;
        }
        ctx.out.printf(Locale.ROOT, "%-12s %10s %10s %8s%n", "dropout", "train acc", "val acc", "gap");
        for (Result r : results) {
            String name = r.p == 0 ? "no dropout" : "dropout " + r.p;
            series.add(new Plots.Series(name + " (train)", epochs, r.trainAcc));
            series.add(new Plots.Series(name + " (validation)", epochs, r.valAcc));
            ctx.out.printf(Locale.ROOT, "%-12s %9.2f%% %9.2f%% %7.2f%%%n", name, 100 * r.trainAcc[r.trainAcc.length - 1],
                    100 * r.valAcc[r.valAcc.length - 1], 100 * r.gap());
        }
        Plots.lines(ctx.dir().resolve("dropout-study.png"), "overfitting on " + TRAIN + " images: accuracy per epoch", "epoch",
                "accuracy", series, false);
        ctx.out.println("outputs in " + ctx.dir() + ": dropout-study.png");
    }
}
