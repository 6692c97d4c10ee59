package dev.nabla.examples.cli;

import dev.nabla.autograd.Variable;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.examples.Example;
import dev.nabla.examples.Main;
import dev.nabla.examples.train.Optimizers;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.train.Seeds;
import dev.nabla.ndarray.io.AtomicFiles;
import dev.nabla.optim.LrRangeFinder;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nabla lr-find MODEL}: the learning-rate range test ({@link LrRangeFinder}, Smith 2017) on the
 * model as {@code nabla train} builds it. One optimizer step per mini-batch of the shuffled training
 * data (epochs repeat when the sweep is longer than one), the learning rate growing exponentially
 * from {@code --start-lr} to {@code --end-lr}; the sweep stops when the smoothed loss exceeds 4 times
 * its best. Writes {@code lr-find.png} (loss against the learning rate, log x axis) and
 * {@code lr-find.csv} into {@code --out}, and prints the suggested rate.
 *
 * <p>The suggestion is a tenth of {@link LrRangeFinder.Result#lrAtMinLoss()}, the rate of the lowest
 * loss smoothed exponentially with β = {@value #SMOOTHING} (bias-corrected, as in fastai's
 * {@code lr_find}, whose "minimum" suggestion this is): the minimum already sits at the edge of
 * instability, an order of magnitude below it trains steadily. (It is raised to {@code --start-lr}
 * when the minimum lies in the first decade of the sweep, with a warning to start lower.) The rate of
 * steepest descent ({@link LrRangeFinder.Result#lrAtSteepestDescent(int, int)}, the first
 * {@value #SKIP_START} points left out as fastai v1 does, and everything after the minimum or at least the
 * last {@value #SKIP_END}) is printed
 * beside it: the other common rule, but with a smoothed mini-batch loss it is at the mercy of batch
 * noise and the lag of the smoothing, so it is not the one suggested. The same seed gives the same
 * sweep and suggestion.
 * Not thread-safe: picocli fills its fields from one command line; use one instance per invocation.
 */
@Command(name = "lr-find", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Learning-rate range test: sweep the learning rate exponentially over mini-batches, "
                + "plot the loss (lr-find.png) and print a suggested --lr.",
        footer = {"", "The suggestion is a tenth of the rate of the lowest smoothed loss (beta 0.98),",
            "  fastai's \"minimum\" rule; the rate of steepest descent is printed beside it.",
            "", Errors.EXIT_HELP, Errors.ENV_HELP})
public final class LrFindCommand implements Callable<Integer> {
    /** β of the exponential smoothing of the recorded loss. */
    static final double SMOOTHING = 0.98;
    /** Points at the start of the sweep left out of the steepest-descent search. */
    static final int SKIP_START = 10;
    /** Points at the end of the sweep left out of the steepest-descent search. */
    static final int SKIP_END = 5;
    /** The file names written into the output directory. */
    static final String PNG = "lr-find.png";
    static final String CSV = "lr-find.csv";

    @ParentCommand
    private Main parent;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "Model to sweep (one trained by the common trainer; `nabla list` marks them [float32]).")
    String model;

    @Option(names = "--start-lr", paramLabel = "RATE", defaultValue = "1e-7", converter = Converters.PositiveFinite.class,
            description = "First learning rate of the sweep (default: ${DEFAULT-VALUE}).")
    double startLr;

    @Option(names = "--end-lr", paramLabel = "RATE", defaultValue = "10", converter = Converters.PositiveFinite.class,
            description = "Last learning rate of the sweep (default: ${DEFAULT-VALUE}).")
    double endLr;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "100", converter = Converters.PositiveInt.class,
            description = "Number of learning rates (one mini-batch each, at least 2; default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Mini-batch size (default: the model's).")
    Integer batchSize;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "One of ${COMPLETION-CANDIDATES} (default: the model's).")
    Choices.Optimizer optimizer;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the initialization and the batch order; the same seed gives the same sweep (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Output directory for lr-find.png and lr-find.csv (default: runs/<model>-lr-find-<date>-<time>).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Read data files from DIR instead of the shipped copies.")
    Path dataDir;

    @Option(names = "--dtype", paramLabel = "TYPE",
            description = "${COMPLETION-CANDIDATES}: the dtype of the model's parameters and inputs (default float64).")
    Choices.Dtype dtype;

    /** What one sweep found: the result and the rates derived from it. */
    record Outcome(LrRangeFinder.Result result, double suggested, double atMinLoss, double steepest, int batchSize) {}

    @Override
    public Integer call() throws Exception {
        if (steps < 2) {
            throw new UsageException("--steps " + steps + ": the sweep needs at least 2 learning rates; pass --steps 2 or more");
        }
        if (!(endLr > startLr)) {
            throw new UsageException("--end-lr " + endLr + " must be above --start-lr " + startLr
                    + "; the sweep grows the learning rate from the start to the end");
        }
        PathChecks.dataDir(dataDir);
        Example ex = ModelSetups.example(model);
        Path dir = out != null ? out : TrainCommand.defaultRunDir(ex.name() + "-lr-find");
        PathChecks.outIsNotAFile(dir);
        RunConfig cfg = ModelSetups.config(ex, batchSize, optimizer, seed, dir, dataDir, dtype, "lr-find");
        PrintStream o = parent.out();
        Outcome[] result = new Outcome[1];
        PathChecks.withDataDir(dataDir, ex.name(), () -> result[0] = sweep(ModelSetups.setup(ex, cfg, "lr-find"), cfg));
        Outcome r = result[0];
        PathChecks.createOut(dir);
        writeCsv(dir.resolve(CSV), r.result.points());
        LrFindPlot.write(dir.resolve(PNG), ex.name(), r.result.points(), r.suggested);
        List<LrRangeFinder.Point> pts = r.result.points();
        LrRangeFinder.Point last = pts.get(pts.size() - 1);
        o.printf(Locale.ROOT, "lr-find %s: %d steps of batch %d with %s, lr %s to %s (seed %d)%n", ex.name(), steps,
                r.batchSize, cfg.optimizer, fmt(startLr), fmt(endLr), seed);
        o.println(r.result.diverged()
                ? String.format(Locale.ROOT, "stopped at step %d (lr %s): the smoothed loss %s exceeded 4x its best",
                        pts.size(), fmt(last.lr()), fmt(last.loss()))
                : String.format(Locale.ROOT, "swept all %d steps without divergence (raise --end-lr to see where it diverges)",
                        pts.size()));
        o.printf(Locale.ROOT, "lowest smoothed loss at lr %s; steepest descent at lr %s%n", fmt(r.atMinLoss),
                fmt(r.steepest));
        boolean clamped = r.suggested > r.atMinLoss / 10;
        if (clamped) {
            o.printf(Locale.ROOT, "warning: the loss was lowest within the first decade of the sweep; start lower than "
                    + "--start-lr %s%n", fmt(startLr));
        }
        o.printf(Locale.ROOT, "suggested learning rate: %s (%s)%n", fmt(r.suggested), clamped
                ? "--start-lr: a tenth of the rate of the lowest smoothed loss lies below the sweep"
                : "a tenth of the rate of the lowest smoothed loss");
        o.println("outputs in " + dir + ": " + PNG + ", " + CSV + "; train with: nabla train " + ex.name() + " --lr "
                + fmt(r.suggested));
        return 0;
    }

    /** The sweep itself (deterministic for {@code cfg.seed}). */
    Outcome sweep(Example.Setup s, RunConfig cfg) {
        DataLoader loader = DataLoader.builder(s.train).batchSize(cfg.batchSize).shuffle(true)
                .seed(Seeds.derive(cfg.seed, Seeds.SHUFFLE, 0)).dtype(s.model.dtype()).build();
        Optimizer opt = Optimizers.create(cfg.optimizer, s.model.parameters(), startLr, cfg.weightDecay);
        s.model.train();
        Supplier<Variable> loss = new Supplier<>() {
            int epoch;
            Iterator<Batch> it = loader.epoch(0).iterator();

            @Override
            public Variable get() {
                if (!it.hasNext()) {
                    it = loader.epoch(++epoch).iterator();
                }
                Batch b = it.next();
                Variable outv = s.model.call(new Variable(b.x().astype(s.model.dtype())));
                return s.objective.loss(outv, b);
            }
        };
        LrRangeFinder.Result r = new LrRangeFinder(startLr, endLr, steps).smoothing(SMOOTHING).restore(false).run(opt, loss);
        double atMin = r.lrAtMinLoss();
        List<LrRangeFinder.Point> pts = r.points();
        int min = 0;
        while (pts.get(min).lr() != atMin) {
            min++;
        }
        // steepest descent on the way down to the minimum (the oscillations after it are no descent to follow)
        double steepest = r.lrAtSteepestDescent(SKIP_START, Math.max(SKIP_END, pts.size() - 1 - min));
        return new Outcome(r, Math.max(atMin / 10, startLr), atMin, steepest, cfg.batchSize);
    }

    private static void writeCsv(Path file, List<LrRangeFinder.Point> pts) throws IOException {
        StringBuilder sb = new StringBuilder("step,lr,smoothed_loss\n");
        for (int i = 0; i < pts.size(); i++) {
            sb.append(i).append(',').append(pts.get(i).lr()).append(',').append(pts.get(i).loss()).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** A learning rate or loss with 3 significant digits. */
    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
