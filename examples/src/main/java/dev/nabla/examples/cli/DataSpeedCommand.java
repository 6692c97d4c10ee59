package dev.nabla.examples.cli;

import dev.nabla.autograd.Variable;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.examples.Example;
import dev.nabla.examples.Main;
import dev.nabla.examples.train.Optimizers;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.train.Seeds;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nabla data-speed MODEL}: whether training the model waits on its data. It times, on the same
 * shuffled mini-batches {@code nabla train} draws, (1) the {@link DataLoader} alone without prefetch
 * (as the trainer uses it), (2) the loader with {@code --prefetch} batches built ahead on a background
 * thread, and (3) the training step alone — forward, loss, backward and optimizer update on batches
 * already in memory — each in samples per second after a warm-up. The verdict: <b>data-bound</b>
 * when the loader, with or without prefetch (the faster), delivers fewer samples per second than the
 * step consumes (the step would wait on data), else <b>compute-bound</b>, with the share of a step's time that loading
 * adds without prefetch. Timings vary from run to run; the batches do not (they depend on the seed).
 * Not thread-safe: picocli fills its fields from one command line; use one instance per invocation.
 */
@Command(name = "data-speed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "How fast the data pipeline delivers batches (with and without prefetch) against the training "
                + "step's speed; says whether training is data-bound or compute-bound.",
        footer = {"", Errors.EXIT_HELP, Errors.ENV_HELP})
public final class DataSpeedCommand implements Callable<Integer> {
    @ParentCommand
    private Main parent;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "Model to time (one trained by the common trainer; `nabla list` marks them float32).")
    String model;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Mini-batch size (default: the model's).")
    Integer batchSize;

    @Option(names = "--batches", paramLabel = "N", defaultValue = "50", converter = Converters.PositiveInt.class,
            description = "Batches timed per measurement, after as many as 10 warm-up ones (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "2", converter = Converters.PositiveInt.class,
            description = "Batches the prefetching loader builds ahead (default: ${DEFAULT-VALUE}).")
    int prefetch;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "One of ${COMPLETION-CANDIDATES} (default: the model's).")
    Choices.Optimizer optimizer;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the initialization and the batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Read data files from DIR instead of the shipped copies.")
    Path dataDir;

    @Option(names = "--dtype", paramLabel = "TYPE",
            description = "${COMPLETION-CANDIDATES}: the dtype of the model's parameters and inputs (default float64).")
    Choices.Dtype dtype;

    /** Warm-up batches before each measurement (fewer when --batches is smaller). */
    static final int WARMUP = 10;

    /** The three rates, in samples per second. */
    record Rates(double serial, double prefetched, double step) {
        /** The faster of the two loaders (prefetch costs a hand-over per batch, which a cheap batch may not repay). */
        double data() {
            return Math.max(serial, prefetched);
        }

        /** Whether the step outruns the loader, with or without prefetch. */
        boolean dataBound() {
            return data() < step;
        }
    }

    @Override
    public Integer call() throws Exception {
        PathChecks.dataDir(dataDir);
        Example ex = ModelSetups.example(model);
        RunConfig cfg = ModelSetups.config(ex, batchSize, optimizer, seed, Path.of("."), dataDir, dtype, "data-speed");
        Rates[] r = new Rates[1];
        int[] samples = new int[1];
        PathChecks.withDataDir(dataDir, ex.name(), () -> {
            Example.Setup s = ModelSetups.setup(ex, cfg, "data-speed");
            samples[0] = s.train.size();
            r[0] = measure(s, cfg);
        });
        print(parent.out(), ex.name(), cfg, samples[0], r[0]);
        return 0;
    }

    private void print(PrintStream o, String name, RunConfig cfg, int trainSize, Rates r) {
        int warm = Math.min(WARMUP, batches);
        o.printf(Locale.ROOT, "data-speed %s: batch %d, %d batches timed after %d warm-up, %s, %,d training samples%n", name,
                cfg.batchSize, batches, warm, cfg.dtype.numpyName(), trainSize);
        String[] labels = {"data loader, no prefetch:", "data loader, prefetch " + prefetch + ":",
            "train step (" + cfg.optimizer + "):"};
        double[] rates = {r.serial, r.prefetched, r.step};
        int w = 0;
        for (String l : labels) {
            w = Math.max(w, l.length());
        }
        for (int i = 0; i < 3; i++) {
            o.printf(Locale.ROOT, "%-" + w + "s %s samples/s%s%n", labels[i], rate(rates[i]),
                    i == 2 ? " (forward, backward, update on batches in memory)" : "");
        }
        double share = (1 / r.serial) / (1 / r.serial + 1 / r.step);
        if (r.dataBound()) {
            o.printf(Locale.ROOT, "verdict: data-bound: the step consumes %.1fx what the loader delivers, with or without "
                    + "prefetch; speed up the data pipeline (a lighter augmentation, a larger batch or --prefetch)%n",
                    r.step / r.data());
        } else {
            o.printf(Locale.ROOT, "verdict: compute-bound: the loader delivers %.1fx what the step consumes; loading takes "
                    + "%.0f%% of a step without prefetch%n", r.data() / r.step, 100 * share);
        }
    }

    private static String rate(double v) {
        return String.format(Locale.ROOT, "%,11.0f", v);
    }

    /** The loader's batches in order, epoch after epoch, for as many as are asked for. */
    private static Iterator<Batch> cycle(DataLoader loader) {
        return new Iterator<>() {
            int epoch;
            Iterator<Batch> it = loader.epoch(0).iterator();

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Batch next() {
                if (!it.hasNext()) {
                    it = loader.epoch(++epoch).iterator();
                }
                return it.next();
            }
        };
    }

    private DataLoader loader(Example.Setup s, RunConfig cfg, int depth) {
        return DataLoader.builder(s.train).batchSize(cfg.batchSize).shuffle(true)
                .seed(Seeds.derive(cfg.seed, Seeds.SHUFFLE, 0)).dtype(s.model.dtype()).prefetch(depth).build();
    }

    /** Samples per second of drawing {@code batches} batches after the warm-up (the first ones of the same stream). */
    private double loaderRate(Example.Setup s, RunConfig cfg, int depth) {
        try (DataLoader loader = loader(s, cfg, depth)) {
            Iterator<Batch> it = cycle(loader);
            for (int i = 0; i < Math.min(WARMUP, batches); i++) {
                it.next();
            }
            long n = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                n += it.next().size();
            }
            return n / seconds(t0);
        }
    }

    /** The three rates for {@code s} (the model is trained by the step measurement). */
    Rates measure(Example.Setup s, RunConfig cfg) {
        double serial = loaderRate(s, cfg, 0);
        double prefetched = loaderRate(s, cfg, prefetch);
        List<Batch> inMemory = new ArrayList<>();
        try (DataLoader loader = loader(s, cfg, 0)) {
            Iterator<Batch> it = cycle(loader);
            for (int i = 0; i < Math.min(WARMUP, batches) + batches; i++) {
                inMemory.add(it.next());
            }
        }
        Module m = s.model;
        Optimizer opt = Optimizers.create(cfg.optimizer, m.parameters(), cfg.lr, cfg.weightDecay);
        m.train();
        long n = 0;
        long t0 = 0;
        for (int i = 0; i < inMemory.size(); i++) {
            if (i == Math.min(WARMUP, batches)) {
                t0 = System.nanoTime();
                n = 0;
            }
            Batch b = inMemory.get(i);
            m.zeroGrad();
            Variable loss = s.objective.loss(m.call(new Variable(b.x().astype(m.dtype()))), b);
            loss.backward();
            opt.step();
            n += b.size();
        }
        return new Rates(serial, prefetched, n / seconds(t0));
    }

    private static double seconds(long t0) {
        return Math.max(System.nanoTime() - t0, 1) / 1e9;
    }
}
