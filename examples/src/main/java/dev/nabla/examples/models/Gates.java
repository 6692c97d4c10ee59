package dev.nabla.examples.models;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.data.ArrayDataset;
import dev.nabla.data.Synthetic;
import dev.nabla.examples.Example;
import dev.nabla.examples.train.Optimizers;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.examples.train.RunContext;
import dev.nabla.train.Seeds;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Losses;
import dev.nabla.nn.Module;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Tanh;
import dev.nabla.optim.Optimizer;
import java.io.PrintStream;
import java.util.Locale;
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
        /** The network's probabilities for inputs 00, 01, 10, 11. */
        public final double[] probabilities;

        Learned(double loss, double[] probabilities) {
            this.loss = loss;
            this.probabilities = probabilities;
        }
    }

    @Override
    public void train(RunContext ctx) {
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
        int every = Math.max(1, cfg.epochs / 5);
        for (int step = 1; step <= cfg.epochs; step++) {
            net.zeroGrad();
            Variable l = Losses.bceWithLogits(net.call(x), target);
            loss = l.item();
            l.backward();
            opt.step();
            if (out != null && (step % every == 0 || step == 1)) {
                out.printf(Locale.ROOT, "  step %5d  loss %.6f%n", step, loss);
            }
        }
        double[] p;
        try (Autograd.Scope s = Autograd.noGrad()) {
            p = net.call(x).data().sigmoid().toArray();
        }
        return new Learned(loss, p);
    }
}
