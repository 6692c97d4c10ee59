package dev.nabla.examples.models;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.data.ArrayDataset;
import dev.nabla.data.Synthetic;
import dev.nabla.examples.Example;
import dev.nabla.examples.train.Optimizers;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.examples.train.RunFiles;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Functional;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Tanh;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.MetricsLog;
import dev.nabla.train.ModelExport;
import dev.nabla.train.Plots;
import dev.nabla.train.Seeds;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Logic gates: the perceptrons AND, NAND and OR with hand-set weights and a step function, XOR as
 * NAND and OR fed into AND (a two-layer perceptron), and XOR learned by a 2-4-1 network (tanh
 * hidden layer, one logit out, binary cross-entropy), full-batch.
 * Not thread-safe: run it on one thread; each run builds its own model, optimizer and data loader,
 * so separate runs may proceed on separate threads.
 */
public final class Gates implements Example {
    @Override
    public String name() {
        return "gates";
    }

    @Override
    public java.util.List<String> aliases() {
        return java.util.List.of("xor");
    }

    @Override
    public String description() {
        return "perceptron AND/NAND/OR with hand-set weights, XOR = AND(NAND, OR), and XOR learned by a 2-4-1 net";
    }

    @Override
    public String dataSet() {
        return "truth tables of AND, NAND, OR, XOR (4 rows)";
    }

    @Override
    public Defaults defaults() {
        return new Defaults(1000, 4, 0.5, "sgd");
    }

    /**
     * What the trained network reached.
     * Effectively immutable once returned (final fields; treat its arrays as read-only), so safe to
     * share after publication.
     */
    public static final class Learned {
        /** Final loss. */
        public final double loss;
        /** The loss of the trained network (after the last step) on the four rows. */
        public final double endLoss;
        /** The network's probabilities for inputs 00, 01, 10, 11. */
        public final double[] probabilities;
        /** The loss before each step (one per step). */
        public final double[] curve;
        final Module net;
        final Optimizer optimizer;

        Learned(double loss, double endLoss, double[] probabilities, double[] curve, Module net, Optimizer optimizer) {
            this.loss = loss;
            this.endLoss = endLoss;
            this.probabilities = probabilities;
            this.curve = curve;
            this.net = net;
            this.optimizer = optimizer;
        }

        /** The fraction of the four XOR rows the network gets right (probability above 0.5 for 1). */
        public double accuracy() {
            int[] xor = {0, 1, 1, 0};
            int right = 0;
            for (int i = 0; i < 4; i++) {
                right += (probabilities[i] > 0.5 ? 1 : 0) == xor[i] ? 1 : 0;
            }
            return right / 4.0;
        }
    }

    @Override
    public void train(RunContext ctx) throws IOException {
        long started = System.nanoTime();
        PrintStream out = ctx.out;
        NDArray x = Synthetic.gate(Synthetic.Gate.XOR).features();
        out.println("perceptrons with hand-set weights (step activation):");
        out.println("  x1 x2 | AND NAND OR | XOR = AND(NAND, OR)");
        NDArray and = Perceptron.and().apply(x);
        NDArray nand = Perceptron.nand().apply(x);
        NDArray or = Perceptron.or().apply(x);
        NDArray xor = Perceptron.xor(x);
        for (int i = 0; i < 4; i++) {
            out.printf(Locale.ROOT, "   %d  %d |  %d    %d   %d  |  %d%n", (int) x.get(i, 0), (int) x.get(i, 1),
                    (int) and.getFlat(i), (int) nand.getFlat(i), (int) or.getFlat(i), (int) xor.getFlat(i));
        }
        out.println();
        out.printf(Locale.ROOT, "XOR learned by a 2-4-1 tanh network (%s, lr %s, %d full-batch steps):%n",
                ctx.config.optimizer, ctx.config.lr, ctx.config.epochs);
        Learned l = learnXor(ctx.config, out);
        for (int i = 0; i < 4; i++) {
            out.printf(Locale.ROOT, "   %d  %d -> p(1) = %.4f -> %d%n", (int) x.get(i, 0), (int) x.get(i, 1),
                    l.probabilities[i], l.probabilities[i] > 0.5 ? 1 : 0);
        }
        writeRun(ctx, l, (System.nanoTime() - started) / 1e9);
    }

    /**
     * The common run layout of the learned XOR network: one "epoch" is one full-batch step, and the
     * four rows of the truth table are both its training and its test set (there is nothing else to
     * score it on), so test_loss and test_acc are the final network's on them; no validation, no best.
     */
    private static void writeRun(RunContext ctx, Learned l, double seconds) throws IOException {
        RunConfig cfg = ctx.config;
        Path dir = ctx.dir();
        RunFiles.writeConfig(cfg);
        double[] steps = new double[l.curve.length];
        try (MetricsLog log = MetricsLog.open(dir, List.of("train_loss", "lr"), -1)) {
            for (int i = 0; i < steps.length; i++) {
                steps[i] = i + 1;
                log.append(i + 1, l.curve[i], cfg.lr);
            }
        }
        Plots.lines(dir.resolve("loss.png"), "gates: XOR training loss (binary cross-entropy)", "step", "loss",
                List.of(new Plots.Series("train", steps, l.curve)), true);
        RunFiles.saveCheckpoint(dir.resolve(Checkpoints.LAST), l.net, l.optimizer, Map.of(), cfg, l.curve.length, Map.of());
        RunFiles.exportModel(cfg, l.net, l.curve.length, Map.of(), Map.of());
        Map<String, Object> summary = RunFiles.summary(cfg.model, l.curve.length, l.endLoss, l.accuracy(), null, seconds);
        summary.put("probabilities", List.of(l.probabilities[0], l.probabilities[1], l.probabilities[2], l.probabilities[3]));
        RunFiles.writeSummary(dir, summary);
        ctx.out.println("outputs in " + dir + ": config.json, summary.json, metrics.jsonl, metrics.csv, loss.png, "
                + Checkpoints.LAST + ", " + ModelExport.FILE);
    }

    /** Trains the 2-4-1 network on XOR with the optimizer, learning rate and step count ({@code epochs}) of {@code cfg}. */
    public static Learned learnXor(RunConfig cfg, PrintStream out) {
        ArrayDataset data = Synthetic.gate(Synthetic.Gate.XOR);
        Variable x = new Variable(data.features());
        double[] t = new double[4];
        for (int i = 0; i < 4; i++) {
            t[i] = data.labels()[i];
        }
        Variable target = Variable.constant(NDArray.of(t, 4, 1));
        Random rng = Seeds.random(cfg.seed, Seeds.INIT, 0);
        Module net = new Sequential(new Linear(2, 4, rng), new Tanh(), new Linear(4, 1, rng));
        Optimizer opt = Optimizers.create(cfg.optimizer, net.parameters(), cfg.lr, cfg.weightDecay);
        double loss = Double.NaN;
        double[] curve = new double[Math.max(0, cfg.epochs)];
        int every = Math.max(1, cfg.epochs / 5);
        for (int step = 1; step <= cfg.epochs; step++) {
            net.zeroGrad();
            Variable l = Functional.binaryCrossEntropyWithLogits(net.call(x), target);
            loss = l.item();
            curve[step - 1] = loss;
            l.backward();
            opt.step();
            if (out != null && (step % every == 0 || step == 1)) {
                out.printf(Locale.ROOT, "  step %5d  loss %.6f%n", step, loss);
            }
        }
        double[] p;
        double end;
        try (Autograd.Scope s = Autograd.noGrad()) {
            Variable logits = net.call(x);
            p = logits.data().sigmoid().toArray();
            end = Functional.binaryCrossEntropyWithLogits(logits, target).item();
        }
        return new Learned(loss, end, p, curve, net, opt);
    }
}
