package dev.nabla.examples.train;

import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.Trainer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * Everything a run needs besides the model: its resolved config, where to print results (stdout)
 * and progress (stderr), whether to draw progress bars, the directory of a run to resume (or null),
 * and whether the optimizer and learning rate were given on the command line (studies that compare
 * optimizers use their own otherwise). Immutable (its streams are shared, not copied).
 */
public final class RunContext {
    /** A stream that discards everything (quiet sub-runs). */
    public static final PrintStream NULL = new PrintStream(OutputStream.nullOutputStream());

    /** The resolved settings. */
    public final RunConfig config;
    /** Results and summaries go here. */
    public final PrintStream out;
    /** Progress bars go here. */
    public final PrintStream err;
    /** Whether to draw progress bars. */
    public final boolean progress;
    /** The run directory to resume from, or null for a fresh run. */
    public final Path resumeDir;
    /** Whether {@code --optimizer} was given. */
    public final boolean optimizerGiven;
    /** Whether {@code --lr} was given. */
    public final boolean lrGiven;
    /** Whether {@code --weight-decay} was given. */
    public final boolean weightDecayGiven;
    /** Stop after this epoch of the planned run (0: run every epoch); {@code --stop-after}. */
    public final int stopAfter;
    /** Number of trials of a search (0: the study's default); {@code --trials}. */
    public final int trials;
    /** Whether runs write TensorBoard event files (not {@code --no-tensorboard}). */
    public final boolean tensorBoard;
    /** Data-parallel worker threads ({@code --workers}; 0: one model on one thread). */
    public final int workers;
    /** The micro-shard size of data-parallel training ({@code --shard-size}). */
    public final int shardSize;

    /** A context for a fresh run with the model's defaults. */
    public RunContext(RunConfig config, PrintStream out, PrintStream err, boolean progress, Path resumeDir) {
        this(config, out, err, progress, resumeDir, Set.of(), 0);
    }

    /** A context; {@code given} names the options given on the command line ("optimizer", "lr"). */
    public RunContext(RunConfig config, PrintStream out, PrintStream err, boolean progress, Path resumeDir,
                      Set<String> given) {
        this(config, out, err, progress, resumeDir, given, 0);
    }

    /** A context that stops after epoch {@code stopAfter} (0: never early). */
    public RunContext(RunConfig config, PrintStream out, PrintStream err, boolean progress, Path resumeDir,
                      Set<String> given, int stopAfter) {
        this(config, out, err, progress, resumeDir, given, stopAfter, 0);
    }

    /** A context with every setting but TensorBoard (on). */
    public RunContext(RunConfig config, PrintStream out, PrintStream err, boolean progress, Path resumeDir,
                      Set<String> given, int stopAfter, int trials) {
        this(config, out, err, progress, resumeDir, given, stopAfter, trials, true, 0,
                dev.nabla.train.parallel.ShardPlan.DEFAULT_SHARD_SIZE);
    }

    private RunContext(RunConfig config, PrintStream out, PrintStream err, boolean progress, Path resumeDir,
                       Set<String> given, int stopAfter, int trials, boolean tensorBoard, int workers, int shardSize) {
        if (stopAfter < 0) {
            throw new IllegalArgumentException("--stop-after must be >= 0 (0: run every epoch), got " + stopAfter);
        }
        if (trials < 0) {
            throw new IllegalArgumentException("--trials must be >= 0 (0: the study's default), got " + trials);
        }
        this.stopAfter = stopAfter;
        this.trials = trials;
        this.tensorBoard = tensorBoard;
        if (workers < 0 || shardSize < 1) {
            throw new IllegalArgumentException("--workers must be >= 1 (0: off) and --shard-size >= 1, got " + workers
                    + " and " + shardSize);
        }
        this.workers = workers;
        this.shardSize = shardSize;
        this.given = Set.copyOf(given);
        this.config = config;
        this.out = out;
        this.err = err;
        this.progress = progress;
        this.resumeDir = resumeDir;
        this.optimizerGiven = given.contains("optimizer");
        this.lrGiven = given.contains("lr");
        this.weightDecayGiven = given.contains("weight-decay");
    }

    private final Set<String> given;

    /** A copy that writes TensorBoard event files when {@code on} ({@code --no-tensorboard} turns it off). */
    public RunContext tensorBoard(boolean on) {
        return new RunContext(config, out, err, progress, resumeDir, given, stopAfter, trials, on, workers, shardSize);
    }

    /**
     * A copy that trains data-parallel on {@code workers} threads in micro-shards of
     * {@code shardSize} ({@code --workers}, {@code --shard-size}; 0 workers: off).
     */
    public RunContext dataParallel(int workers, int shardSize) {
        return new RunContext(config, out, err, progress, resumeDir, given, stopAfter, trials, tensorBoard, workers, shardSize);
    }

    /** The last epoch this invocation trains: {@code min(epochs, stopAfter)} when stopping early. */
    public int lastEpoch() {
        return stopAfter > 0 ? Math.min(stopAfter, config.epochs) : config.epochs;
    }

    /** The run directory (outputs). */
    public Path dir() {
        return config.outDir;
    }

    /**
     * A trainer builder set up from this context: the config's epochs, batch size, seed and title,
     * {@code config.json} and checkpoint metadata from the config, results on {@link #out},
     * progress bars on {@link #err}, the run directory, {@code --resume} and {@code --stop-after}.
     * The caller adds the data, objective, schedule and model generator.
     */
    public Trainer.Builder trainer(Module model, Optimizer optimizer) {
        return Trainer.builder(model, optimizer).epochs(config.epochs).batchSize(config.batchSize).seed(config.seed)
                .title(config.model).config(config.toMap()).metadata(config.toMetadata()).out(out).progress(err, progress)
                .runDir(dir()).resumeFrom(resumeDir).stopAfter(stopAfter).tensorBoard(tensorBoard);
    }

    /** A context for a sub-run of a study with config {@code c}, printing to {@code subOut}, without progress bars. */
    public RunContext quiet(RunConfig c, PrintStream subOut) {
        return new RunContext(c, subOut, err, false, null, Set.of(), 0, 0, tensorBoard, workers, shardSize);
    }

    /** A context for a sub-run of a study with config {@code c}: progress bars as this one, no epoch lines, no resume. */
    public RunContext sub(RunConfig c) {
        return new RunContext(c, NULL, err, progress, null, Set.of(), 0, 0, tensorBoard, workers, shardSize);
    }

    /** A context for a sub-run of a study with config {@code c}, printing as this one does. */
    public RunContext with(RunConfig c) {
        return new RunContext(c, out, err, progress, null, Set.of(), 0, 0, tensorBoard, workers, shardSize);
    }
}
