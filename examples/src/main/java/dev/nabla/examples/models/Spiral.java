package dev.nabla.examples.models;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.data.ArrayDataset;
import dev.nabla.data.Synthetic;
import dev.nabla.examples.Example;
import dev.nabla.train.Objective;
import dev.nabla.examples.train.Optimizers;
import dev.nabla.train.Plots;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.train.Seeds;
import dev.nabla.train.Trainer;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Sigmoid;
import dev.nabla.optim.Optimizer;
import dev.nabla.examples.train.RunFiles;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.MetricsLog;
import dev.nabla.train.ModelExport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The three interleaved spirals (300 points, as in DeZero) fitted by a 2-layer network
 * (2 → 30 sigmoid → 3), once with each optimizer from the same initial weights, printing each one's
 * final training loss, training accuracy and accuracy on a fresh spiral of the same distribution;
 * writes the loss curves ({@code spiral-loss.png}) and the decision regions of the best run
 * ({@code spiral-boundary.png}).
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads. {@link #LEARNING_RATES} is a plain map: read
 * it, never modify it.
 */
public final class Spiral implements Example {
    /** Hidden units. */
    public static final int HIDDEN = 30;

    /** AdamW's decoupled weight decay unless {@code --weight-decay} is given (PyTorch's default). */
    public static final double ADAMW_DECAY = 0.01;

    /** The learning rate used for each optimizer unless {@code --lr} is given. */
    public static final Map<String, Double> LEARNING_RATES = new LinkedHashMap<>();

    static {
        LEARNING_RATES.put("sgd", 1.0);
        LEARNING_RATES.put("momentum", 0.1);
        LEARNING_RATES.put("adagrad", 0.5);
        LEARNING_RATES.put("rmsprop", 0.01);
        LEARNING_RATES.put("adam", 0.01);
        LEARNING_RATES.put("adamw", 0.01);
    }

    @Override
    public String name() {
        return "spiral";
    }

    @Override
    public String description() {
        return "2-layer net (2-30-3, sigmoid) on the 3-class spiral, trained with each optimizer; loss curves and decision regions";
    }

    @Override
    public String dataSet() {
        return "synthetic 3-class spiral (300 2-d points from the seed)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(300, 30, 1.0, "sgd");
    }

    /**
     * One optimizer's outcome.
     * Effectively immutable once returned (final fields; treat its arrays as read-only), so safe to
     * share after publication. Its model is not thread-safe (see {@link dev.nabla.nn.Module}).
     */
    public static final class Run {
        /** Optimizer name. */
        public final String optimizer;
        /** Learning rate. */
        public final double lr;
        /** Weight decay. */
        public final double weightDecay;
        /** Final training loss (mean over the last epoch). */
        public final double loss;
        /** Accuracy on the whole training spiral after training. */
        public final double trainAccuracy;
        /** Accuracy on a fresh spiral. */
        public final double testAccuracy;
        /** Loss on the fresh spiral. */
        public final double testLoss;
        /** Training loss per epoch. */
        public final double[] curve;
        final Module model;
        final Optimizer opt;

        Run(String optimizer, double lr, double weightDecay, double loss, double trainAccuracy, double testAccuracy,
            double testLoss, double[] curve, Module model, Optimizer opt) {
            this.testLoss = testLoss;
            this.opt = opt;
            this.optimizer = optimizer;
            this.lr = lr;
            this.weightDecay = weightDecay;
            this.loss = loss;
            this.trainAccuracy = trainAccuracy;
            this.testAccuracy = testAccuracy;
            this.curve = curve;
            this.model = model;
        }
    }

    /**
     * Trains with every optimizer (or only {@code --optimizer} when {@code onlyGiven}) and returns the
     * runs; {@code lrOverride} (when positive) replaces the per-optimizer learning rates.
     */
    public static List<Run> runAll(RunContext ctx, List<String> optimizers, double lrOverride) throws IOException {
        RunConfig cfg = ctx.config;
        ArrayDataset train = Synthetic.spiral(Seeds.random(cfg.seed, Seeds.DATA, 0));
        ArrayDataset test = Synthetic.spiral(Seeds.random(cfg.seed, Seeds.DATA, 1));
        List<Run> runs = new ArrayList<>();
        for (String name : optimizers) {
            double lr = lrOverride > 0 ? lrOverride : LEARNING_RATES.get(name);
            double wd = name.equals("adamw") && !ctx.weightDecayGiven ? ADAMW_DECAY : cfg.weightDecay;
            RunConfig c = cfg.withOptimizer(name, lr, wd);
            Module model = new Sequential(new Linear(2, HIDDEN, Seeds.random(cfg.seed, Seeds.INIT, 0)), new Sigmoid(),
                    new Linear(HIDDEN, 3, Seeds.random(cfg.seed, Seeds.INIT, 1)));
            Optimizer opt = Optimizers.create(name, model.parameters(), lr, wd);
            Trainer t = ctx.quiet(c, RunContext.NULL).trainer(model, opt).runDir(null).train(train).build();
            Trainer.EpochResult last = t.fit();
            Trainer.Score tr = Trainer.evaluate(model, Objective.crossEntropy(), train, 300);
            Trainer.Score te = Trainer.evaluate(model, Objective.crossEntropy(), test, 300);
            runs.add(new Run(name, lr, wd, last.trainLoss, tr.accuracy, te.accuracy, te.loss, t.history("train_loss"), model,
                    opt));
        }
        return runs;
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        long started = System.nanoTime();
        RunConfig cfg = ctx.config;
        boolean one = ctx.optimizerGiven;
        List<String> names = one ? List.of(cfg.optimizer) : new ArrayList<>(LEARNING_RATES.keySet());
        List<Run> runs = runAll(ctx, names, ctx.lrGiven ? cfg.lr : -1);
        ctx.out.printf(Locale.ROOT, "%-9s %7s %7s %12s %10s %10s%n", "optimizer", "lr", "decay", "final loss", "train acc",
                "test acc");
        Run best = null;
        List<Plots.Series> curves = new ArrayList<>();
        for (Run r : runs) {
            ctx.out.printf(Locale.ROOT, "%-9s %7s %7s %12.4f %9.2f%% %9.2f%%%n", r.optimizer, r.lr, r.weightDecay, r.loss,
                    100 * r.trainAccuracy, 100 * r.testAccuracy);
            double[] epochs = new double[r.curve.length];
            for (int i = 0; i < epochs.length; i++) {
                epochs[i] = i + 1;
            }
            curves.add(new Plots.Series(r.optimizer, epochs, r.curve));
            if (best == null || r.loss < best.loss) {
                best = r;
            }
        }
        Plots.lines(ctx.dir().resolve("spiral-loss.png"), "spiral: training loss per epoch", "epoch", "loss", curves, true);
        boundary(ctx, best);
        writeRun(ctx, runs, best, (System.nanoTime() - started) / 1e9);
        ctx.out.println("outputs in " + ctx.dir() + ": config.json, summary.json, metrics.jsonl, metrics.csv, spiral-loss.png, "
                + "spiral-boundary.png, " + Checkpoints.LAST + ", " + ModelExport.FILE + " (" + best.optimizer + ")");
    }

    /**
     * The common run layout: metrics.jsonl/.csv with one {@code train_loss_<optimizer>} column per optimizer
     * per epoch; last.safetensors and model.safetensors of the run with the lowest final training loss
     * (the one drawn in spiral-boundary.png); summary.json with that run's figures on the fresh spiral as
     * test_loss and test_acc (no validation split, so no best epoch) and every run's under {@code runs}.
     */
    private static void writeRun(RunContext ctx, List<Run> runs, Run best, double seconds) throws IOException {
        RunConfig cfg = ctx.config;
        Path dir = ctx.dir();
        RunFiles.writeConfig(cfg);
        List<String> columns = new ArrayList<>();
        for (Run r : runs) {
            columns.add("train_loss_" + r.optimizer);
        }
        int epochs = best.curve.length;
        try (MetricsLog log = MetricsLog.open(dir, columns, -1)) {
            for (int e = 0; e < epochs; e++) {
                double[] row = new double[runs.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = runs.get(i).curve[e];
                }
                log.append(e + 1, row);
            }
        }
        RunConfig bestCfg = cfg.withOptimizer(best.optimizer, best.lr, best.weightDecay);
        RunFiles.saveCheckpoint(dir.resolve(Checkpoints.LAST), best.model, best.opt, Map.of(), bestCfg, epochs, Map.of());
        RunFiles.exportModel(bestCfg, best.model, epochs, Map.of(), Map.of("optimizer", best.optimizer));
        Map<String, Object> summary = RunFiles.summary(cfg.model, epochs, best.testLoss, best.testAccuracy, null, seconds);
        summary.put("optimizer", best.optimizer);
        summary.put("train_loss", best.loss);
        summary.put("train_acc", best.trainAccuracy);
        List<Map<String, Object>> all = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("optimizer", r.optimizer);
            m.put("lr", r.lr);
            m.put("weight_decay", r.weightDecay);
            m.put("train_loss", r.loss);
            m.put("train_acc", r.trainAccuracy);
            m.put("test_loss", r.testLoss);
            m.put("test_acc", r.testAccuracy);
            all.add(m);
        }
        summary.put("runs", all);
        RunFiles.writeSummary(dir, summary);
    }

    private static void boundary(RunContext ctx, Run best) throws IOException {
        int g = 120;
        double[] grid = new double[g * g * 2];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                grid[2 * (i * g + j)] = -1.1 + 2.2 * j / (g - 1);
                grid[2 * (i * g + j) + 1] = -1.1 + 2.2 * i / (g - 1);
            }
        }
        NDArray pred;
        best.model.eval();
        try (Autograd.Scope s = Autograd.noGrad()) {
            pred = best.model.call(new Variable(NDArray.of(grid, g * g, 2))).data().argmax(1);
        }
        ArrayDataset data = Synthetic.spiral(Seeds.random(ctx.config.seed, Seeds.DATA, 0));
        List<Plots.Series> series = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            List<double[]> region = new ArrayList<>();
            for (int k = 0; k < g * g; k++) {
                if ((int) pred.getFlat(k) == c) {
                    region.add(new double[] {grid[2 * k], grid[2 * k + 1]});
                }
            }
            series.add(xy("region " + c, region));
        }
        NDArray x = data.features();
        int[] labels = data.labels();
        for (int c = 0; c < 3; c++) {
            List<double[]> pts = new ArrayList<>();
            for (int k = 0; k < labels.length; k++) {
                if (labels[k] == c) {
                    pts.add(new double[] {x.get(k, 0), x.get(k, 1)});
                }
            }
            series.add(xy("class " + c, pts));
        }
        Plots.regions(ctx.dir().resolve("spiral-boundary.png"), "spiral: decision regions (" + best.optimizer + ")",
                series, 3);
    }

    private static Plots.Series xy(String name, List<double[]> pts) {
        double[] a = new double[pts.size()];
        double[] b = new double[pts.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = pts.get(i)[0];
            b[i] = pts.get(i)[1];
        }
        return new Plots.Series(name, a, b);
    }
}
