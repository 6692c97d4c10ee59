package dev.nabla.examples.train;

import dev.nabla.train.Checkpoints;
import dev.nabla.train.ModelExport;
import dev.nabla.train.ProgressBar;
import dev.nabla.train.Objective;
import dev.nabla.train.Seeds;
import dev.nabla.train.DataSplits;
import dev.nabla.train.Trainer;
import dev.nabla.train.parallel.ReplicaFactory;
import dev.nabla.ndarray.io.AtomicFiles;
import dev.nabla.examples.Example;
import dev.nabla.nn.Module;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A model trained by the shared {@link Trainer} on a train/validation/test split: it builds the
 * model and the data, and this class does the rest — the optimizer and schedule from the options,
 * training with metrics, plots and checkpoints, the final test score (printed and written to
 * {@code summary.json}), and {@code nabla eval} of a checkpoint.
 *
 * <p>The test score of a run is that of {@code best.safetensors} (the epoch with the best
 * validation score), the checkpoint {@code nabla eval DIR} loads, so the printed figure,
 * {@code summary.json} ({@code test_acc}, {@code best_epoch}) and {@code nabla eval} agree exactly.
 * Stateless apart from what subclasses add; one run at a time per instance.
 */
public abstract class SupervisedExample implements Example {

    @Override
    public boolean supportsFloat32() {
        return true;
    }


    /** The model, initialized from {@code init}; dropout layers draw from {@code train}. */
    protected abstract Module build(RunConfig cfg, Random init, Random train);

    /** The data for {@code cfg} (honouring its data directory and limits). */
    protected abstract DataSplits data(RunConfig cfg);

    /** The training objective (default: cross-entropy on logits). */
    protected Objective objective() {
        return Objective.crossEntropy();
    }

    /** Called after training with the trained model (e.g. to draw its filters or forecasts). */
    protected void afterTraining(RunContext ctx, Module model) throws IOException {
    }

    /** Prints figures beyond loss and accuracy (e.g. an error in the data's own units), after training and in eval. */
    protected void report(RunContext ctx, Module model, DataSplits data) {
    }

    /** Adds model-specific settings (callbacks, metrics) to the trainer of a run; the default adds nothing. */
    protected Trainer.Builder configure(Trainer.Builder trainer, RunContext ctx, DataSplits data) {
        return trainer;
    }

    /** Gradient clipping by global norm during training (0: none). */
    protected double clipNorm() {
        return 0;
    }

    /**
     * Builds replicas of the model of {@code cfg} for data-parallel training: the architecture of
     * {@link #run}'s model (its values come from the master), dropout drawing from the replica's generator.
     */
    public ReplicaFactory replicas(RunConfig cfg) {
        return rng -> build(cfg, new Random(0), rng).to(cfg.dtype);
    }

    @Override
    public boolean supportsWorkers() {
        return true;
    }

    /** The model built and converted exactly as {@link #run} builds it, its training data and objective. */
    @Override
    public java.util.Optional<Example.Setup> setup(RunConfig cfg) {
        Module model = build(cfg, Seeds.random(cfg.seed, Seeds.INIT, 0), new Random(0)).to(cfg.dtype);
        return java.util.Optional.of(new Example.Setup(model, data(cfg).train, objective()));
    }

    @Override
    public boolean canEvaluate() {
        return true;
    }

    /**
     * What a finished run reached.
     * Immutable and thread-safe.
     */
    public static final class Outcome {
        /** The last epoch's figures (null when no epoch ran). */
        public final Trainer.EpochResult last;
        /** Test loss and accuracy of the final model. */
        public final Trainer.Score test;
        /** Wall time of the whole run in seconds. */
        public final double seconds;

        Outcome(Trainer.EpochResult last, Trainer.Score test, double seconds) {
            this.last = last;
            this.test = test;
            this.seconds = seconds;
        }
    }

    @Override
    public void train(RunContext ctx) throws Exception {
        run(ctx);
    }

    /** Trains as {@link #train} does and returns the outcome (for tests and studies). */
    public Outcome run(RunContext ctx) throws IOException {
        long t0 = System.nanoTime();
        RunConfig cfg = ctx.config;
        DataSplits d = data(cfg);
        Random trainRng = new Random(0);
        // built in float64 from the seed, then converted: float32 starts from the same weights, rounded
        Module model = build(cfg, Seeds.random(cfg.seed, Seeds.INIT, 0), trainRng).to(cfg.dtype);
        Optimizer opt = Optimizers.create(cfg.optimizer, model.parameters(), cfg.lr, cfg.weightDecay);
        LrScheduler sched = Optimizers.schedule(cfg.schedule, opt, cfg.epochs);
        ctx.out.printf(Locale.ROOT, "data: %d train, %d validation, %d test; model: %,d parameters%n",
                d.train.size(), d.validation.size(), d.test.size(), model.numParameters());
        Trainer.Builder tb = ctx.trainer(model, opt).objective(objective()).train(d.train).validation(d.validation)
                .test(d.test).schedule(sched).modelRng(trainRng).clipGradNorm(clipNorm())
                .exportModel(d.preprocess, Map.of("model", cfg.model, "dtype", cfg.dtype.numpyName()));
        if (ctx.workers > 0) {
            tb.workers(ctx.workers, replicas(cfg)).shardSize(ctx.shardSize);
        }
        Trainer trainer = configure(tb, ctx, d).build();
        Trainer.EpochResult last = trainer.fit();
        if (ctx.lastEpoch() < cfg.epochs && trainer.epochsRun() == ctx.lastEpoch()) {
            ctx.out.printf(Locale.ROOT, "stopped after epoch %d of %d; continue with: nabla train --resume %s%n",
                    ctx.lastEpoch(), cfg.epochs, ctx.dir());
        }
        // the run's result is best.safetensors (what `nabla eval DIR` loads): the trainer scored exactly that state
        Trainer.Score test = trainer.testScore();
        int scoredEpoch = trainer.scoredEpoch();
        double seconds = (System.nanoTime() - t0) / 1e9;
        printTest(ctx, test, scoredEpoch, trainer.epochsRun(), seconds);
        report(ctx, model, d);
        AtomicFiles.writeString(ctx.dir().resolve("summary.json"), summaryJson(cfg.model, trainer.epochsRun(), test, scoredEpoch,
                seconds));
        afterTraining(ctx, model);
        ctx.out.println("outputs in " + ctx.dir() + ": metrics.jsonl, metrics.csv, metrics_steps.jsonl, loss.png"
                + (Double.isFinite(test.accuracy) ? ", accuracy.png" : "") + ", last.safetensors, best.safetensors, "
                + ModelExport.FILE + (ctx.tensorBoard ? ", TensorBoard events (tensorboard --logdir "
                + (ctx.dir().toAbsolutePath().getParent() != null ? ctx.dir().toAbsolutePath().getParent() : ctx.dir()) + ")" : ""));
        return new Outcome(last, test, seconds);
    }

    /** {@code summary.json} of a run trained by the common trainer (the keys of {@link RunFiles#summary}). */
    static String summaryJson(String model, int epochs, Trainer.Score test, int bestEpoch, double seconds) {
        return RunFiles.summaryJson(RunFiles.summary(model, epochs, test.loss, test.accuracy, bestEpoch, seconds));
    }

    private static void printTest(RunContext ctx, Trainer.Score s, int scoredEpoch, int epochs, double seconds) {
        String of = String.format(Locale.ROOT, "of %s (epoch %d of %d)", Checkpoints.BEST, scoredEpoch, epochs);
        if (Double.isFinite(s.accuracy)) {
            ctx.out.printf(Locale.ROOT, "test accuracy %.2f%% (loss %.4f) %s, %s wall time%n",
                    100 * s.accuracy, s.loss, of, ProgressBar.formatDuration(seconds));
        } else {
            ctx.out.printf(Locale.ROOT, "test loss %.6f %s, %s wall time%n", s.loss, of,
                    ProgressBar.formatDuration(seconds));
        }
    }

    @Override
    public void evaluate(RunContext ctx, Path checkpoint) throws Exception {
        RunConfig cfg = ctx.config;
        // built exactly as in training (float64 from the seed, then converted to the run's dtype)
        Module model = build(cfg, Seeds.random(cfg.seed, Seeds.INIT, 0), new Random(0)).to(cfg.dtype);
        Checkpoints.Contents c = Checkpoints.upgrade(Checkpoints.load(checkpoint), model, ctx.err::println);
        model.loadStateDict(c.model, true);
        DataSplits d = data(cfg);
        Trainer.Score s = Trainer.evaluate(model, objective(), d.test, 1000);
        if (Double.isFinite(s.accuracy)) {
            ctx.out.printf(Locale.ROOT, "test accuracy %.2f%% (loss %.4f) on %d samples%n", 100 * s.accuracy, s.loss,
                    d.test.size());
        } else {
            ctx.out.printf(Locale.ROOT, "test loss %.6f on %d samples%n", s.loss, d.test.size());
        }
        report(ctx, model, d);
    }
}
