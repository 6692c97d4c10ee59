package dev.nabla.examples.studies;

import dev.nabla.ndarray.io.AtomicFiles;
import dev.nabla.data.ArrayDataset;
import dev.nabla.examples.Example;
import dev.nabla.examples.models.MnistData;
import dev.nabla.train.Objective;
import dev.nabla.examples.train.Optimizers;
import dev.nabla.train.Plots;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.train.Seeds;
import dev.nabla.train.Trainer;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random search of the learning rate and the weight decay (<i>Deep Learning from Scratch</i> §6.5):
 * each trial draws {@code lr = 10^U(-4, 0)} and {@code weight decay = 10^U(-8, -3)} (log scale, from
 * the run's seed), trains a 784-100x3-10 ReLU network (He init) for a few epochs on 1000 MNIST
 * images, and is scored on 500 validation images (never the test set); the trials are printed
 * ranked by validation accuracy and written to {@code hparam-search.csv}, and
 * {@code hparam-search.png} shows validation accuracy against the learning rate.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class HparamSearch implements Example {
    /** Trials unless {@code --trials} says otherwise. */
    public static final int DEFAULT_TRIALS = 20;
    /** Training images per trial. */
    public static final int TRAIN = 1000;
    /** Validation images scoring each trial. */
    public static final int VALIDATION = 500;
    private static final long SEARCH_STREAM = 5;

    @Override
    public String name() {
        return "hparam-search";
    }

    @Override
    public String description() {
        return "random search of lr in 10^[-4,0] and weight decay in 10^[-8,-3] (log scale), short MNIST runs ranked on validation";
    }

    @Override
    public String dataSet() {
        return "MNIST (1,000 train, 500 validation images)";
    }

    @Override
    public boolean isStudy() {
        return true;
    }

    @Override
    public Defaults defaults() {
        return new Defaults(10, 100, 0.01, "sgd");
    }

    /**
     * One trial.
     * Immutable and thread-safe.
     */
    public static final class Trial {
        /** Trial number (1-based, in drawing order). */
        public final int index;
        /** Learning rate. */
        public final double lr;
        /** Weight decay. */
        public final double weightDecay;
        /** Validation accuracy after training (0 when the run diverged). */
        public final double valAccuracy;
        /** Final training loss (NaN when it diverged). */
        public final double trainLoss;

        Trial(int index, double lr, double weightDecay, double valAccuracy, double trainLoss) {
            this.index = index;
            this.lr = lr;
            this.weightDecay = weightDecay;
            this.valAccuracy = valAccuracy;
            this.trainLoss = trainLoss;
        }
    }

    /** Runs {@code trials} trials and returns them ranked, best first. */
    public static List<Trial> search(RunContext ctx, int trials) throws IOException {
        RunConfig cfg = ctx.config;
        MnistData d = MnistData.load(cfg);
        ArrayDataset train = d.train.range(0, Math.min(TRAIN, d.train.size()));
        ArrayDataset val = d.validation.range(0, Math.min(VALIDATION, d.validation.size()));
        Random draw = Seeds.random(cfg.seed, SEARCH_STREAM, 0);
        List<Trial> out = new ArrayList<>();
        for (int i = 1; i <= trials; i++) {
            double lr = Math.pow(10, -4 + 4 * draw.nextDouble());
            double wd = Math.pow(10, -8 + 5 * draw.nextDouble());
            RunConfig c = cfg.withOptimizer(cfg.optimizer, lr, wd);
            Module model = Mlp.build(784, 100, 3, 10, Mlp.Activation.RELU, Mlp.init("he"), false, 0,
                    Seeds.random(cfg.seed, Seeds.INIT, i), null);
            Optimizer opt = Optimizers.create(cfg.optimizer, model.parameters(), lr, wd);
            Trainer t = ctx.sub(c).trainer(model, opt).runDir(null).train(train).validation(val).tolerateDivergence(true)
                    .build();
            Trainer.EpochResult last = t.fit();
            boolean diverged = t.divergedEpoch() > 0;
            double acc = diverged ? 0 : last.valAcc;
            out.add(new Trial(i, lr, wd, acc, diverged ? Double.NaN : last.trainLoss));
            ctx.out.printf(Locale.ROOT, "trial %3d/%d  lr %.3e  weight decay %.3e  val acc %s%n", i, trials, lr, wd,
                    diverged ? "diverged" : String.format(Locale.ROOT, "%.2f%%", 100 * acc));
        }
        out.sort(Comparator.comparingDouble((Trial t) -> -t.valAccuracy).thenComparingInt(t -> t.index));
        return out;
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        RunConfig cfg = ctx.config;
        int trials = ctx.trials > 0 ? ctx.trials : DEFAULT_TRIALS;
        ctx.out.printf(Locale.ROOT, "%d trials: 784-100x3-10 ReLU, %s, %d epochs on %d images, scored on %d validation images%n",
                trials, cfg.optimizer, cfg.epochs, TRAIN, VALIDATION);
        List<Trial> ranked = search(ctx, trials);
        ctx.out.println();
        ctx.out.printf(Locale.ROOT, "%4s  %5s  %10s  %12s  %8s  %10s%n", "rank", "trial", "lr", "weight decay", "val acc",
                "train loss");
        StringBuilder csv = new StringBuilder("rank,trial,lr,weight_decay,val_acc,train_loss\n");
        int rank = 0;
        for (Trial t : ranked) {
            rank++;
            if (rank <= 10) {
                ctx.out.printf(Locale.ROOT, "%4d  %5d  %10.3e  %12.3e  %7.2f%%  %10.4f%n", rank, t.index, t.lr, t.weightDecay,
                        100 * t.valAccuracy, t.trainLoss);
            }
            csv.append(rank).append(',').append(t.index).append(',').append(t.lr).append(',').append(t.weightDecay)
                    .append(',').append(t.valAccuracy).append(',').append(Double.isNaN(t.trainLoss) ? "" : t.trainLoss)
                    .append('\n');
        }
        AtomicFiles.writeString(ctx.dir().resolve("hparam-search.csv"), csv.toString());
        double[] x = new double[ranked.size()];
        double[] y = new double[ranked.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.log10(ranked.get(i).lr);
            y[i] = ranked.get(i).valAccuracy;
        }
        Plots.scatter(ctx.dir().resolve("hparam-search.png"), "random search: validation accuracy against learning rate",
                "log10(learning rate)", "validation accuracy", List.of(new Plots.Series("trials", x, y)));
        Trial best = ranked.get(0);
        ctx.out.printf(Locale.ROOT, "best: lr %.3e, weight decay %.3e, validation accuracy %.2f%%%n", best.lr, best.weightDecay,
                100 * best.valAccuracy);
        ctx.out.println("outputs in " + ctx.dir() + ": hparam-search.csv, hparam-search.png");
    }
}
