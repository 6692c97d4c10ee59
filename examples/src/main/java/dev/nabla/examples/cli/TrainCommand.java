package dev.nabla.examples.cli;

import dev.nabla.examples.Example;
import dev.nabla.examples.Examples;
import dev.nabla.examples.Main;
import dev.nabla.train.Checkpoints;
import dev.nabla.train.ModelExport;
import dev.nabla.train.TensorBoardCallback;
import dev.nabla.train.Trainer;
import dev.nabla.examples.train.RunConfig;
import dev.nabla.ndarray.DType;
import dev.nabla.examples.train.RunContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code nabla train [MODEL]}: trains a model or runs a study. Options left unset take the model's
 * defaults (shown by {@code nabla list}); {@code --resume DIR} continues the run in DIR from its
 * {@code last.safetensors} exactly as if it had not been interrupted. It refuses to write into
 * the directory of another run unless {@code --overwrite}, and refuses a resume with fewer
 * {@code --epochs} than already done. One instance per invocation; not thread-safe.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model or run a study (default: mnist-mlp). See `nabla list`.",
        footer = {"", Errors.EXIT_HELP, Errors.ENV_HELP})
public final class TrainCommand implements Callable<Integer> {
    /**
     * How progress bars are drawn.
     * Immutable and thread-safe (an enum).
     */
    public enum Progress {
        /** When a console is attached. */
        auto,
        /** Always (even into a file or pipe). */
        always,
        /** Never. */
        never
    }

    @ParentCommand
    private Main parent;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "Model or study to train (default: mnist-mlp); `nabla list` shows them all.")
    String model;

    @Option(names = "--epochs", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Number of epochs (default: the model's).")
    Integer epochs;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Mini-batch size (default: the model's).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE", converter = Converters.PositiveFinite.class,
            description = "Learning rate (default: the model's).")
    Double lr;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "One of ${COMPLETION-CANDIDATES} (momentum: SGD with momentum 0.9; default: the model's).")
    Choices.Optimizer optimizer;

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "Learning-rate schedule per epoch: ${COMPLETION-CANDIDATES} (cosine: to 0 over the run; "
                    + "step: x0.1 every third epoch; default: the model's).")
    Choices.Schedule schedule;

    @Option(names = "--weight-decay", paramLabel = "λ", converter = Converters.NonNegativeFinite.class, description = "Weight decay (default: the model's, usually 0).")
    Double weightDecay;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of every random choice; the same seed gives bitwise the same run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Output directory (default: runs/<model>-<date>-<time>; with --resume: the resumed run's directory).")
    Path out;

    @Option(names = "--overwrite",
            description = "Allow --out to name the directory of an existing run, replacing its files (refused otherwise).")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its last.safetensors (settings come from the checkpoint; "
                    + "--epochs may raise the total).")
    Path resume;

    @Option(names = "--stop-after", paramLabel = "N", defaultValue = "0", converter = Converters.NonNegativeInt.class,
            description = "Stop after epoch N of the planned --epochs (the schedule still spans them all); "
                    + "continue later with --resume.")
    int stopAfter;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "0", converter = Converters.NonNegativeInt.class,
            description = "Trials of hparam-search (default: 20).")
    int trials;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Read data files from DIR instead of the shipped copies.")
    Path dataDir;

    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0", converter = Converters.NonNegativeInt.class,
            description = "Train on the first N training samples only (0: all).")
    int trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0", converter = Converters.NonNegativeInt.class,
            description = "Evaluate on the first N test samples only (0: all).")
    int testLimit;

    @Option(names = "--dtype", paramLabel = "TYPE",
            description = "${COMPLETION-CANDIDATES}: the dtype of the model's parameters and inputs (default float64, float32 for "
                    + "char-transformer; "
                    + "float32 for the models trained through the common trainer, marked [float32] by `nabla list`).")
    Choices.Dtype dtype;

    @Option(names = "--no-tensorboard",
            description = "Write no TensorBoard event files (by default every run writes them into its directory: tensorboard --logdir runs).")
    boolean noTensorBoard;

    @Option(names = "--workers", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Train data-parallel on N threads with model replicas; the result does not depend on N "
                    + "(micro-shards of --shard-size samples, reduced in a fixed order; default: one model, no replicas).")
    Integer workers;

    @Option(names = "--shard-size", paramLabel = "M", converter = Converters.PositiveInt.class,
            description = "Micro-shard size of --workers training (default: 16); the result depends on it, not on N.")
    Integer shardSize;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Train on Apache Spark: local[N], spark://host:port, yarn, k8s://… (the data on the executors, "
                    + "the optimizer here; micro-shards of --shard-size; the result does not depend on the cluster).")
    String spark;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            description = "Progress bars on stderr: ${COMPLETION-CANDIDATES} (auto: when a console is attached).")
    Progress progress;

    /** The example this invocation names; an unknown name is a usage error naming the known ones. */
    public Example example() {
        return byName(model == null ? "mnist-mlp" : model);
    }

    private static Example byName(String name) {
        try {
            return Examples.byName(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** Resolves the options against the model's defaults (and, with --resume, the checkpoint's settings). */
    public RunConfig resolve() throws IOException {
        if (resume != null) {
            return resolveResume();
        }
        Example ex = example();
        Example.Defaults d = ex.defaults();
        Path dir = out != null ? out : defaultRunDir(ex.name());
        DType dt = resolveDtype(ex);
        try {
            return new RunConfig(ex.name(), epochs != null ? epochs : d.epochs, batchSize != null ? batchSize : d.batchSize,
                    lr != null ? lr : d.lr, optimizer != null ? optimizer.name() : d.optimizer,
                    weightDecay != null ? weightDecay : d.weightDecay, schedule != null ? schedule.name() : d.schedule, seed,
                    dir, dataDir, trainLimit, testLimit, dt);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e); // a value given on the command line is out of range
        }
    }

    private DType resolveDtype(Example ex) {
        DType d = dtype == null ? ex.defaultDtype() : dtype.dtype();
        if (d != DType.FLOAT64 && d != ex.defaultDtype() && !ex.supportsFloat32()) {
            String float32 = Examples.all().stream().filter(Example::supportsFloat32).map(Example::name)
                    .collect(java.util.stream.Collectors.joining(", "));
            throw new UsageException("--dtype " + d.numpyName() + ": " + ex.name() + " trains in float64 only; "
                    + "float32 is available for the models trained through the common trainer (" + float32 + ")");
        }
        return d;
    }

    private RunConfig resolveResume() throws IOException {
        if (Files.exists(resume) && !Files.isDirectory(resume)) {
            throw new UsageException("--resume " + resume + " is a file, not a directory; pass the directory of a run "
                    + "started by `nabla train` (it holds last.safetensors)");
        }
        Path ckpt = resume.resolve(Checkpoints.LAST);
        if (!Files.isRegularFile(ckpt)) {
            throw new UsageException("--resume: " + ckpt + " does not exist; pass the directory of a run "
                    + "started by `nabla train` (it holds last.safetensors)");
        }
        Map<String, String> meta = Checkpoints.readMetadata(ckpt);
        RunConfig saved = RunConfig.fromMetadata(meta, out != null ? out : resume, dataDir);
        List<String> conflicts = new ArrayList<>();
        if (model != null && !byName(model).name().equals(saved.model)) {
            conflicts.add("model " + model + " (checkpoint: " + saved.model + ")");
        }
        if (batchSize != null && batchSize != saved.batchSize) {
            conflicts.add("--batch-size " + batchSize + " (checkpoint: " + saved.batchSize + ")");
        }
        if (lr != null && lr != saved.lr) {
            conflicts.add("--lr " + lr + " (checkpoint: " + saved.lr + ")");
        }
        if (optimizer != null && !optimizer.name().equals(saved.optimizer)) {
            conflicts.add("--optimizer " + optimizer + " (checkpoint: " + saved.optimizer + ")");
        }
        if (weightDecay != null && weightDecay != saved.weightDecay) {
            conflicts.add("--weight-decay " + weightDecay + " (checkpoint: " + saved.weightDecay + ")");
        }
        if (schedule != null && !schedule.name().equals(saved.schedule)) {
            conflicts.add("--schedule " + schedule + " (checkpoint: " + saved.schedule + ")");
        }
        if (seed != 0 && seed != saved.seed) {
            conflicts.add("--seed " + seed + " (checkpoint: " + saved.seed + ")");
        }
        if (dtype != null && dtype.dtype() != saved.dtype) {
            conflicts.add("--dtype " + dtype + " (checkpoint: " + saved.dtype.numpyName() + ")");
        }
        if (trainLimit != 0 && trainLimit != saved.trainLimit || testLimit != 0 && testLimit != saved.testLimit) {
            conflicts.add("--train-limit/--test-limit (checkpoint: " + saved.trainLimit + "/" + saved.testLimit + ")");
        }
        if (!conflicts.isEmpty()) {
            throw new UsageException("--resume continues the run with the settings stored in " + ckpt
                    + "; these options contradict them: " + String.join(", ", conflicts)
                    + ". Drop them (only --epochs may change), or start a new run without --resume");
        }
        int done = Checkpoints.epochOf(meta);
        if (epochs != null && epochs < done) {
            throw new UsageException("--resume: " + ckpt + " is after epoch " + done + ", but --epochs " + epochs
                    + " asks for fewer; --epochs is the total counting the " + done + " epochs done: pass --epochs " + done
                    + " or more");
        }
        return epochs != null ? saved.withEpochs(epochs) : saved;
    }

    /** The files of a run, by which an existing run directory is recognized (and which --overwrite replaces). */
    static final List<String> RUN_FILES = List.of(Checkpoints.LAST, Checkpoints.BEST, "metrics.jsonl", "metrics.csv",
            "config.json", "summary.json", "loss.png", "accuracy.png", Trainer.STEPS_JSONL, Trainer.STEPS_CSV, ModelExport.FILE);

    /** The TensorBoard event files of a run directory (and of its hparams session), which --overwrite removes too. */
    private static List<Path> eventFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path d : new Path[] {dir, dir.resolve(TensorBoardCallback.HPARAMS_RUN)}) {
            if (Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (java.util.stream.Stream<Path> s = Files.list(d)) {
                    s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    /**
     * Refuses to write a run into a directory that holds another run's files, unless {@code --overwrite}
     * (then those files are removed first, so nothing of the old run is mistaken for the new one's).
     */
    private void checkOutDir(RunConfig cfg) throws IOException {
        boolean sameAsResumed = resume != null
                && resume.toAbsolutePath().normalize().equals(cfg.outDir.toAbsolutePath().normalize());
        if (sameAsResumed || !Files.isDirectory(cfg.outDir)) {
            return;
        }
        List<String> found = new ArrayList<>();
        for (String f : RUN_FILES) {
            if (Files.exists(cfg.outDir.resolve(f), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                found.add(f);
            }
        }
        List<Path> events = eventFiles(cfg.outDir);
        if (!events.isEmpty()) {
            found.add("TensorBoard event files");
        }
        if (found.isEmpty()) {
            return;
        }
        if (!overwrite) {
            throw new UsageException("--out " + cfg.outDir + " already holds a run (" + String.join(", ", found)
                    + "); pass another --out, continue it with --resume " + cfg.outDir + ", or replace it with --overwrite");
        }
        for (String f : RUN_FILES) {
            Files.deleteIfExists(cfg.outDir.resolve(f));
        }
        for (Path e : events) {
            Files.deleteIfExists(e);
        }
    }

    static Path defaultRunDir(String name) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = Path.of("runs", name + "-" + stamp);
        for (int i = 2; Files.exists(dir); i++) {
            dir = Path.of("runs", name + "-" + stamp + "-" + i);
        }
        return dir;
    }

    /**
     * The data-parallel settings of this invocation, {@code {workers, shardSize}} ({@code {0, 16}}
     * without {@code --workers}); refuses {@code --workers} for a model without the common trainer,
     * {@code --shard-size} without {@code --workers}, and a batch with fewer shards than workers.
     */
    int[] dataParallel(Example ex, RunConfig cfg) {
        int m = shardSize != null ? shardSize : dev.nabla.train.parallel.ShardPlan.DEFAULT_SHARD_SIZE;
        if (spark != null) {
            if (workers != null) {
                throw new UsageException("--workers " + workers + " and --spark " + spark + " are two ways of data-parallel "
                        + "training; pass one of them (Spark's parallelism is its master's, e.g. local[" + workers + "])");
            }
            if (!(ex instanceof dev.nabla.examples.train.SupervisedExample)) {
                throw new UsageException("--spark " + spark + ": " + ex.name() + " has a training loop of its own; Spark "
                        + "training is available for the models on the common trainer");
            }
            return new int[] {0, m};
        }
        if (workers == null) {
            if (shardSize != null) {
                throw new UsageException("--shard-size " + shardSize + " applies to data-parallel training; add --workers N");
            }
            return new int[] {0, m};
        }
        if (!ex.supportsWorkers()) {
            String ok = Examples.all().stream().filter(Example::supportsWorkers).map(Example::name)
                    .collect(java.util.stream.Collectors.joining(", "));
            throw new UsageException("--workers " + workers + ": " + ex.name() + " has a training loop of its own and "
                    + "trains on one thread; data-parallel training is available for the models on the common trainer ("
                    + ok + ")");
        }
        try {
            dev.nabla.train.parallel.ShardPlan.checkWorkers("--workers " + workers, workers, cfg.batchSize, m);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        return new int[] {workers, m};
    }

    /** Whether progress bars are drawn. */
    public boolean progressEnabled() {
        return progress == Progress.always || progress == Progress.auto && System.console() != null;
    }

    @Override
    public Integer call() throws Exception {
        PathChecks.dataDir(dataDir);
        RunConfig cfg = resolve();
        Example ex = byName(cfg.model);
        int[] dp = dataParallel(ex, cfg);
        PathChecks.outIsNotAFile(cfg.outDir);
        checkOutDir(cfg);
        PathChecks.createOut(cfg.outDir);
        java.util.Set<String> given = new java.util.HashSet<>();
        if (optimizer != null) {
            given.add("optimizer");
        }
        if (lr != null) {
            given.add("lr");
        }
        if (weightDecay != null) {
            given.add("weight-decay");
        }
        RunContext ctx = new RunContext(cfg, parent.out(), parent.err(), progressEnabled(), resume, given, stopAfter, trials)
                .tensorBoard(!noTensorBoard).dataParallel(dp[0], dp[1]);
        parent.out().println((resume != null ? "resuming " : "training ") + cfg
                + (dp[0] > 0 ? " on " + dp[0] + " workers (micro-shards of " + dp[1] + ")" : "") + " -> " + cfg.outDir);
        if (spark != null) {
            parent.out().println("on Spark " + spark + " (micro-shards of " + dp[1] + ")");
            PathChecks.withDataDir(dataDir, ex.name(),
                    () -> dev.nabla.examples.train.SparkRun.run((dev.nabla.examples.train.SupervisedExample) ex, ctx, spark, dp[1]));
            return 0;
        }
        PathChecks.withDataDir(dataDir, ex.name(), () -> ex.train(ctx));
        return 0;
    }
}
