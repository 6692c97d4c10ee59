package dev.nabla.train;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.autograd.compile.Compiled;
import dev.nabla.autograd.compile.CompiledStep;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.io.AtomicFiles;
import dev.nabla.ndarray.io.JsonWriter;
import dev.nabla.nn.Module;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import dev.nabla.train.parallel.DataParallel;
import dev.nabla.train.parallel.ReplicaFactory;
import dev.nabla.train.parallel.ShardPlan;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A training loop a program drives from its own code: epochs of shuffled mini-batches (forward,
 * loss, backward, update) of a model on a training set, validated on a validation set, with every
 * extra — progress bar, metrics log, checkpoints, plots, TensorBoard, learning-rate schedule,
 * gradient clipping, early stopping, the user's own — a {@link Callback}.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, Adam.builder(model.parameters()).lr(1e-3).build())
 *         .train(trainSet).validation(valSet).test(testSet)
 *         .epochs(20).batchSize(32).seed(7)
 *         .runDir(Path.of("runs/mine"))            // metrics, checkpoints, plots, TensorBoard
 *         .earlyStopping(EarlyStopping.on("val_loss").patience(3))
 *         .callback(new Callback() {
 *             public void onEpochEnd(TrainContext c) { System.out.println(c.epochResult().valAcc); }
 *         })
 *         .build();
 * trainer.fit();
 * }</pre>
 *
 * <p>Reproducibility: the data order of epoch k depends only on the seed and k (the data module's
 * {@link DataLoader}), the model's own generator (dropout masks) is reseeded from
 * {@code (seed, MODEL, k)} at the start of the epoch, and the optimizer state, the schedule's epoch,
 * the metric history and the best score are all in the checkpoint, so a run resumed from the
 * checkpoint of epoch k ({@link Builder#resumeFrom}) continues bitwise as if it had never stopped.
 *
 * <p>Files (with a {@link Builder#runDir}): {@code config.json}, {@code metrics.jsonl}/{@code .csv}
 * (one row per epoch), {@code metrics_steps.jsonl}/{@code .csv} (one row per optimizer step),
 * {@code loss.png}/{@code accuracy.png}, {@code last.safetensors} (every epoch),
 * {@code best.safetensors} (best validation score), TensorBoard event files
 * ({@link TensorBoardCallback}) and, when asked ({@link Builder#exportModel}), {@code model.safetensors}
 * (the best model alone, {@link ModelExport}). Every file goes through {@link AtomicFiles};
 * after an improving epoch {@code best} is written before {@code last}, and resuming reconciles
 * the two ({@link Checkpoints#reconcileBest}), so a crash at any point leaves a run that resumes to
 * the uninterrupted result. Checkpoints hold no wall-clock times (those stay in the metrics log),
 * so the same seed gives the same checkpoint bytes.
 *
 * <p>Best epoch: the one with the highest validation accuracy (the lowest validation loss when
 * there is no accuracy; training figures without a validation set). With a test set, {@link #fit}
 * ends with the best checkpoint's weights loaded into the model and scores them on it.
 *
 * <p>Data parallel ({@link Builder#workers}): each batch's gradient is computed by
 * {@link DataParallel} on N threads with model replicas, micro-shard by micro-shard, and combined in
 * a fixed order, so the parameters do not depend on N (see {@link dev.nabla.train.parallel}); the
 * callbacks, clipping and the optimizer step run on the master as usual. Dropout masks are then
 * drawn per (seed, step, shard) rather than from the model's generator.
 *
 * <p>Not thread-safe: one trainer drives one model on one thread, once (its data-parallel
 * workers are its own).
 */
public final class Trainer {
    /** The metric columns (after {@code epoch}) of every run without user metrics. */
    public static final List<String> COLUMNS = List.of("train_loss", "train_acc", "val_loss", "val_acc", "lr", "time_s");

    /** The columns of the per-step log {@code metrics_steps.*} (after {@code epoch}). */
    public static final List<String> STEP_COLUMNS = List.of("step", "loss", "lr");

    /** File name of the per-step JSON-lines log. */
    public static final String STEPS_JSONL = "metrics_steps.jsonl";
    /** File name of the per-step CSV log. */
    public static final String STEPS_CSV = "metrics_steps.csv";
    /** File name of the settings. */
    public static final String CONFIG_JSON = "config.json";

    private static final PrintStream NULL = new PrintStream(OutputStream.nullOutputStream());

    /**
     * The figures of one epoch.
     * Immutable and thread-safe.
     */
    public static final class EpochResult {
        /** Mean training loss over the epoch's batches. */
        public final double trainLoss;
        /** Training accuracy (NaN for regression). */
        public final double trainAcc;
        /** Validation loss (NaN without a validation set). */
        public final double valLoss;
        /** Validation accuracy (NaN without one). */
        public final double valAcc;
        /** Learning rate during the epoch. */
        public final double lr;
        /** Wall time of the epoch in seconds (training and validation). */
        public final double seconds;
        /** The user metrics: {@code train_<name>} and {@code val_<name>} (NaN without a validation set). */
        public final Map<String, Double> metrics;

        EpochResult(double trainLoss, double trainAcc, double valLoss, double valAcc, double lr, double seconds,
                    Map<String, Double> metrics) {
            this.trainLoss = trainLoss;
            this.trainAcc = trainAcc;
            this.valLoss = valLoss;
            this.valAcc = valAcc;
            this.lr = lr;
            this.seconds = seconds;
            this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        /** The value of column {@code name} ({@link Trainer#COLUMNS} or a user metric's), NaN when unknown. */
        public double get(String name) {
            switch (name) {
                case "train_loss": return trainLoss;
                case "train_acc": return trainAcc;
                case "val_loss": return valLoss;
                case "val_acc": return valAcc;
                case "lr": return lr;
                case "time_s": return seconds;
                default: return metrics.getOrDefault(name, Double.NaN);
            }
        }
    }

    /**
     * Loss, accuracy and user metrics over a whole data set.
     * Immutable and thread-safe.
     */
    public static final class Score {
        /** Mean loss per sample. */
        public final double loss;
        /** Accuracy in [0, 1] (NaN for regression). */
        public final double accuracy;
        /** The user metrics by name. */
        public final Map<String, Double> metrics;

        Score(double loss, double accuracy, Map<String, Double> metrics) {
            this.loss = loss;
            this.accuracy = accuracy;
            this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }

    /**
     * Thrown when the training loss becomes NaN or infinite.
     * Immutable once constructed, like any exception: safe to hand to another thread.
     */
    public static final class DivergedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        /** The epoch in which the loss became non-finite. */
        public final int epoch;

        DivergedException(String message, int epoch) {
            super(message);
            this.epoch = epoch;
        }
    }

    final Module model;
    final Optimizer optimizer;
    final Objective objective;
    final DataLoader loader;
    private final Dataset val;
    private final Dataset test;
    private final Random modelRng;
    final int epochs;
    private final int lastEpoch;
    private final long seed;
    final Path runDir;
    private final Path resumeDir;
    final Map<String, Object> config;
    private final Map<String, String> metadata;
    final String title;
    final PrintStream out;
    private final PrintStream err;
    private final int evalBatchSize;
    private final boolean tolerateDivergence;
    /** Whether training steps go through a {@link CompiledStep} (see {@link Builder#compiled}). */
    private final boolean compiled;
    private CompiledStep compiledStep;
    /** The batch the compiled step function reads (its labels or targets). */
    private Batch stepBatch;
    private final List<Metric> metrics;
    private final List<String> columns;
    private final List<Callback> callbacks;
    private final CheckpointCallback checkpoints;
    private final int workers;
    private final int shardSize;
    private final ReplicaFactory replicas;

    int startEpoch;
    private int divergedEpoch;
    private int epochsRun;
    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    private double bestScore = Double.NaN;
    int bestEpoch;
    private int scoredEpoch;
    private Score testScore;
    private boolean fitted;

    private Trainer(Builder b) {
        if (b.trainLoader == null) {
            throw new IllegalArgumentException("Trainer.builder: no training data; call .train(dataset) or .train(loader)");
        }
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.objective = b.objective;
        this.loader = b.trainLoader;
        this.val = b.val;
        this.test = b.test;
        this.modelRng = b.modelRng;
        this.epochs = b.epochs;
        this.lastEpoch = b.stopAfter > 0 ? Math.min(b.stopAfter, b.epochs) : b.epochs;
        this.seed = b.seed;
        this.runDir = b.runDir;
        this.resumeDir = b.resumeDir;
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
        this.metadata = b.metadata != null ? new LinkedHashMap<>(b.metadata) : stringMap(b.config);
        this.title = b.title;
        this.out = b.out;
        this.err = b.err;
        this.evalBatchSize = b.evalBatchSize;
        this.tolerateDivergence = b.tolerateDivergence;
        this.workers = b.workers;
        this.shardSize = b.shardSize;
        this.replicas = b.replicas;
        if (workers > 0) {
            ShardPlan.checkWorkers("Trainer.workers", workers, loader.batchSize(), shardSize);
        }
        this.compiled = b.compiled;
        if (compiled && workers > 0) {
            throw new IllegalArgumentException("Trainer: compiled(true) and workers(" + workers + ", ...) cannot be combined "
                    + "(a compiled step replays one model's graph; data-parallel steps run on replicas); choose one");
        }
        this.metrics = List.copyOf(b.metrics);
        List<String> cols = new ArrayList<>(List.of("train_loss", "train_acc", "val_loss", "val_acc"));
        for (Metric m : metrics) {
            cols.add("train_" + m.name());
            cols.add("val_" + m.name());
        }
        cols.add("lr");
        cols.add("time_s");
        this.columns = List.copyOf(cols);
        for (String c : columns) {
            history.put(c, new ArrayList<>());
        }
        List<Callback> cbs = new ArrayList<>();
        if (b.schedule != null) {
            cbs.add(new LrScheduleCallback(b.schedule));
        }
        if (b.clipNorm > 0) {
            cbs.add(new GradClipping(b.clipNorm));
        }
        cbs.add(new ProgressCallback(b.out, b.err, b.progress));
        boolean files = runDir != null;
        this.checkpoints = files ? new CheckpointCallback() : null;
        if (files) {
            cbs.add(new MetricsLogCallback());
            cbs.add(checkpoints);
            if (b.plots) {
                cbs.add(new PlotCallback());
            }
            if (b.tensorBoard) {
                cbs.add(new TensorBoardCallback(b.tensorBoardClock));
            }
            if (b.exportExtras != null) {
                cbs.add(new ModelExport.Callback(b.exportExtras, b.exportMetadata));
            }
        }
        if (b.earlyStopping != null) {
            cbs.add(b.earlyStopping);
        }
        cbs.addAll(b.callbacks);
        this.callbacks = List.copyOf(cbs);
    }

    /** A builder of a trainer of {@code model} with {@code optimizer} (over the model's parameters). */
    public static Builder builder(Module model, Optimizer optimizer) {
        return new Builder(model, optimizer);
    }

    private static Map<String, String> stringMap(Map<String, Object> m) {
        Map<String, String> s = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() != null) {
                s.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        return s;
    }

    /** The metric columns of this run's log, in order (after {@code epoch}). */
    public List<String> columns() {
        return columns;
    }

    /** The epoch in which the loss became non-finite, or 0 when training did not diverge. */
    public int divergedEpoch() {
        return divergedEpoch;
    }

    /** The history of column {@code name} (one value per finished epoch). */
    public double[] history(String name) {
        List<Double> h = history.get(name);
        if (h == null) {
            throw new IllegalArgumentException("Trainer.history: no column \"" + name + "\"; columns are " + columns);
        }
        double[] o = new double[h.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = h.get(i);
        }
        return o;
    }

    /** The epoch with the best validation score (0 before any). */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The last epoch this invocation trains: the planned total, or the {@link Builder#stopAfter} epoch. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The last epoch trained when {@link #fit} returned (less than {@link #lastEpoch} after a stop or divergence). */
    public int epochsRun() {
        return epochsRun;
    }

    /** The test score {@link #fit} measured (null without a test set or before fit). */
    public Score testScore() {
        return testScore;
    }

    /** The epoch whose weights {@link #testScore} scored: that of {@code best.safetensors}, else the last trained. */
    public int scoredEpoch() {
        return scoredEpoch;
    }

    /** The callbacks in the order they run, built-ins first. */
    public List<Callback> callbacks() {
        return callbacks;
    }

    /** Trains up to the last epoch (resuming first when asked) and returns the last epoch's figures (null if none ran). */
    public EpochResult fit() throws IOException {
        if (fitted) {
            throw new IllegalStateException("Trainer.fit: this trainer has already run; build a new one for another run");
        }
        fitted = true;
        TrainContext ctx = new TrainContext(this);
        EpochResult last = null;
        DataParallel dp = null;
        try {
            prepare();
            if (workers > 0) {
                dp = DataParallel.builder(model, replicas).workers(workers).shardSize(shardSize).objective(objective)
                        .seed(seed).build();
            }
            epochsRun = startEpoch;
            ctx.epoch = startEpoch;
            ctx.step = (long) startEpoch * loader.numBatches();
            for (Callback c : callbacks) {
                c.onTrainStart(ctx);
            }
            for (int epoch = startEpoch + 1; epoch <= lastEpoch; epoch++) {
                ctx.epoch = epoch;
                try {
                    last = runEpoch(ctx, epoch, dp);
                } catch (DivergedException e) {
                    if (!tolerateDivergence) {
                        throw e;
                    }
                    divergedEpoch = e.epoch;
                    break;
                }
                for (int i = 0; i < columns.size(); i++) {
                    history.get(columns.get(i)).add(last.get(columns.get(i)));
                }
                ctx.epochResult = last;
                ctx.improved = improve(epoch, last);
                epochsRun = epoch;
                for (Callback c : callbacks) {
                    c.onEpochEnd(ctx);
                }
                if (ctx.stopRequested()) {
                    out.println("stopping after epoch " + epoch + ": " + ctx.stopReason());
                    break;
                }
            }
            ctx.batchIndex = -1;
            ctx.batch = null;
            scoreTest(ctx);
            for (Callback c : callbacks) {
                c.onTrainEnd(ctx);
            }
        } catch (IOException | RuntimeException | Error e) {
            for (Callback c : callbacks) {
                try {
                    c.onException(ctx, e);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        } finally {
            if (dp != null) {
                dp.close();
            }
        }
        return last;
    }

    /** Restores a resumed run, writes config.json. */
    private void prepare() throws IOException {
        if (resumeDir != null) {
            Path lastFile = resumeDir.resolve(Checkpoints.LAST);
            Checkpoints.Contents c = restore(lastFile);
            startEpoch = c.epoch();
            if (runDir != null) {
                if (!resumeDir.toAbsolutePath().normalize().equals(runDir.toAbsolutePath().normalize())) {
                    Files.createDirectories(runDir);
                    for (String f : new String[] {MetricsLog.JSONL, MetricsLog.CSV, STEPS_JSONL, STEPS_CSV, Checkpoints.BEST}) {
                        if (Files.exists(resumeDir.resolve(f))) {
                            AtomicFiles.copy(resumeDir.resolve(f), runDir.resolve(f));
                        }
                    }
                }
                Checkpoints.Contents ahead = Checkpoints.reconcileBest(runDir, lastFile, c, bestEpoch);
                if (ahead != null) {
                    // a crash after writing best, before last: best is the epoch about to be redone
                    Path best = runDir.resolve(Checkpoints.BEST);
                    bestScore = Checkpoints.trainerNumber(ahead, "best_score", best, "--resume");
                    bestEpoch = Checkpoints.trainerEpoch(ahead, "best_epoch", best, "--resume");
                }
            }
            out.printf(Locale.ROOT, "resumed from %s at epoch %d%n", lastFile, startEpoch);
        }
        if (runDir != null) {
            Files.createDirectories(runDir);
            AtomicFiles.writeString(runDir.resolve(CONFIG_JSON), JsonWriter.writeIndented(config));
        }
    }

    /**
     * One training step through the compiled step: forward and backward replayed (or traced), then,
     * as one instruction, the divergence check, the after-backward callbacks and the optimizer step,
     * in eager order. Returns the loss.
     */
    private double compiledStep(TrainContext ctx, Batch b, int epoch, long seen, double lr) throws IOException {
        stepBatch = b;
        if (compiledStep == null) {
            CompiledStep[] self = new CompiledStep[1];
            self[0] = Compiled.builder(model.parameters(), in -> {
                Variable output = self[0].keep(model.call(in[0]));
                return self[0].keep(objective.loss(output, stepBatch));
            }, () -> {
                double l = self[0].kept(1).item();
                if (!Double.isFinite(l)) {
                    throw new DivergedException("training diverged: the loss is " + l + " in epoch " + epoch
                            + " after " + ctx.samplesSeen + " samples; lower the learning rate (--lr " + optimizer.lr()
                            + ") or pick another optimizer", epoch);
                }
                ctx.output = new Variable(self[0].kept(0));
                ctx.batchLoss = l;
                try {
                    for (Callback c : callbacks) {
                        c.onAfterBackward(ctx);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                optimizer.step();
            }).guard(() -> List.of(model.isTraining(), stepBatch.hasLabels()
                    ? java.nio.IntBuffer.wrap(stepBatch.labels()) : "targets")).fallbackToEager().build();
            compiledStep = self[0];
        }
        NDArray x = b.x().astype(model.dtype());
        try {
            NDArray loss = b.hasLabels() ? compiledStep.run(x) : compiledStep.run(x, b.targets());
            return loss.item();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private EpochResult runEpoch(TrainContext ctx, int epoch, DataParallel dp) throws IOException {
        long t0 = System.nanoTime();
        model.train();
        if (modelRng != null) {
            modelRng.setSeed(Seeds.derive(seed, Seeds.MODEL, epoch));
        }
        double lr = optimizer.lr();
        ctx.samplesSeen = 0;
        ctx.batchIndex = -1;
        ctx.epochResult = null;
        ctx.improved = false;
        for (Callback c : callbacks) {
            c.onEpochStart(ctx);
        }
        for (Metric m : metrics) {
            m.reset();
        }
        double lossSum = 0;
        double correct = 0;
        long seen = 0;
        int index = 0;
        for (Batch b : loader.epoch(epoch - 1)) {
            ctx.batchIndex = index++;
            ctx.batch = b;
            ctx.output = null;
            ctx.batchLoss = Double.NaN;
            for (Callback c : callbacks) {
                c.onBatchStart(ctx);
            }
            if (compiled) {
                double l = compiledStep(ctx, b, epoch, seen, lr);
                ctx.step++;
                lossSum += l * b.size();
                NDArray out = compiledStep.kept(0);
                correct += objective.correct(out, b);
                for (Metric m : metrics) {
                    m.update(out, b);
                }
                seen += b.size();
                ctx.samplesSeen = seen;
                for (Callback c : callbacks) {
                    c.onBatchEnd(ctx);
                }
                continue;
            }
            model.zeroGrad();
            Variable output;
            double l;
            double ok;
            if (dp != null) {
                DataParallel.StepResult r = dp.computeGradients(b, ctx.step);
                output = Variable.constant(r.output);
                l = r.loss;
                ok = r.correct;
                checkFinite(l, epoch, seen, lr);
            } else {
                output = model.call(new Variable(b.x().astype(model.dtype())));
                Variable loss = objective.loss(output, b);
                l = loss.item();
                checkFinite(l, epoch, seen, lr);
                loss.backward();
                ok = objective.correct(output.data(), b);
            }
            ctx.output = output;
            ctx.batchLoss = l;
            for (Callback c : callbacks) {
                c.onAfterBackward(ctx);
            }
            optimizer.step();
            ctx.step++;
            lossSum += l * b.size();
            correct += ok;
            for (Metric m : metrics) {
                m.update(output.data(), b);
            }
            seen += b.size();
            ctx.samplesSeen = seen;
            for (Callback c : callbacks) {
                c.onBatchEnd(ctx);
            }
        }
        ctx.batchIndex = -1;
        ctx.batch = null;
        ctx.output = null;
        Map<String, Double> mv = new LinkedHashMap<>();
        for (Metric m : metrics) {
            mv.put("train_" + m.name(), m.value());
        }
        Score v = val == null ? null : evaluate(model, objective, val, evalBatchSize, metrics);
        for (Metric m : metrics) {
            mv.put("val_" + m.name(), v == null ? Double.NaN : v.metrics.get(m.name()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EpochResult(lossSum / seen, correct / seen, v == null ? Double.NaN : v.loss,
                v == null ? Double.NaN : v.accuracy, lr, seconds, mv);
    }

    private static void checkFinite(double l, int epoch, long seen, double lr) {
        if (!Double.isFinite(l)) {
            throw new DivergedException("training diverged: the loss is " + l + " in epoch " + epoch + " after "
                    + seen + " samples; lower the learning rate (--lr " + lr + ") or pick another optimizer", epoch);
        }
    }

    /** Whether epoch's validation score beats the best so far (accuracy when there is one, else loss). */
    private boolean improve(int epoch, EpochResult r) {
        double score = Double.isFinite(r.valAcc) ? r.valAcc : Double.isFinite(r.valLoss) ? -r.valLoss
                : Double.isFinite(r.trainAcc) ? r.trainAcc : -r.trainLoss;
        if (Double.isNaN(bestScore) || score > bestScore) {
            bestScore = score;
            bestEpoch = epoch;
            return true;
        }
        return false;
    }

    /** Scores the test set with best.safetensors' weights (loaded into the model) or the last ones. */
    private void scoreTest(TrainContext ctx) throws IOException {
        scoredEpoch = epochsRun;
        Path bestFile = runDir == null ? null : runDir.resolve(Checkpoints.BEST);
        if (test == null) {
            return;
        }
        if (bestFile != null && Files.isRegularFile(bestFile)) {
            Checkpoints.Contents best = Checkpoints.upgrade(Checkpoints.load(bestFile), model, err::println);
            model.loadStateDict(best.model, true);
            scoredEpoch = best.epoch();
        }
        testScore = evaluate(model, objective, test, evalBatchSize, metrics);
        ctx.testScore = testScore;
    }

    /** Mean loss and accuracy of {@code model} (in eval mode, without recording) over {@code data}. */
    public static Score evaluate(Module model, Objective objective, Dataset data, int batchSize) {
        return evaluate(model, objective, data, batchSize, List.of());
    }

    /** Mean loss, accuracy and {@code metrics} of {@code model} (in eval mode, without recording) over {@code data}. */
    public static Score evaluate(Module model, Objective objective, Dataset data, int batchSize, List<Metric> metrics) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        double correct = 0;
        for (Metric m : metrics) {
            m.reset();
        }
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (Batch b : DataLoader.of(data, batchSize)) {
                Variable o = model.call(new Variable(b.x().astype(model.dtype())));
                lossSum += objective.loss(o, b).item() * b.size();
                correct += objective.correct(o.data(), b);
                for (Metric m : metrics) {
                    m.update(o.data(), b);
                }
            }
        } finally {
            model.train(wasTraining);
        }
        Map<String, Double> mv = new LinkedHashMap<>();
        for (Metric m : metrics) {
            mv.put(m.name(), m.value());
        }
        return new Score(lossSum / data.size(), correct / data.size(), mv);
    }

    /** The checkpoint contents after {@code epoch}. */
    Checkpoints.Contents contents(int epoch) {
        Map<String, NDArray> trainer = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : history.entrySet()) {
            if (e.getKey().equals(Checkpoints.WALL_CLOCK_COLUMN)) {
                continue; // only in the metrics log: the checkpoint bytes must not depend on the clock
            }
            double[] h = new double[e.getValue().size()];
            for (int i = 0; i < h.length; i++) {
                h[i] = e.getValue().get(i);
            }
            trainer.put("history." + e.getKey(), NDArray.of(h, h.length));
        }
        trainer.put("best_score", NDArray.of(new double[] {bestScore}, 1));
        trainer.put("best_epoch", NDArray.of(new double[] {bestEpoch}, 1));
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("epoch", Integer.toString(epoch));
        return new Checkpoints.Contents(model.stateDict(), optimizer.stateDict(), trainer, meta);
    }

    private Checkpoints.Contents restore(Path ckpt) throws IOException {
        if (!Files.isRegularFile(ckpt)) {
            throw new IllegalArgumentException("--resume: " + ckpt + " does not exist");
        }
        Checkpoints.Contents c = Checkpoints.upgrade(Checkpoints.load(ckpt), model, err::println);
        int epoch = c.epoch();
        if (epochs < epoch) {
            throw new IllegalArgumentException("--resume: " + ckpt + " is after epoch " + epoch + " but the run asks for "
                    + epochs + " epochs in total; pass --epochs " + epoch + " or more (the total, counting the "
                    + epoch + " done)");
        }
        model.loadStateDict(c.model, true);
        optimizer.loadStateDict(c.optimizer);
        for (String col : columns) {
            if (col.equals(Checkpoints.WALL_CLOCK_COLUMN)) {
                // not in checkpoints (their bytes must not depend on the clock); the metrics log keeps the times
                for (int i = 0; i < epoch; i++) {
                    history.get(col).add(Double.NaN);
                }
                continue;
            }
            NDArray h = c.trainer.get("history." + col);
            if (h == null || h.size() != epoch) {
                throw new IllegalArgumentException("--resume: " + ckpt + " lacks the metric history \"" + col + "\" for its "
                        + epoch + " epochs; it was not written by this version of `nabla train`");
            }
            for (double v : h.toArray()) {
                history.get(col).add(v);
            }
        }
        bestScore = Checkpoints.trainerNumber(c, "best_score", ckpt, "--resume");
        bestEpoch = Checkpoints.trainerEpoch(c, "best_epoch", ckpt, "--resume");
        return c;
    }

    /** The checkpoint callback of this trainer (null without a run directory): tests set its save hook. */
    public CheckpointCallback checkpointCallback() {
        return checkpoints;
    }

    /**
     * Settings of a {@link Trainer}. Every setting has a default except the model, the optimizer and
     * the training data: 10 epochs, batch size 32, seed 0, cross-entropy, no validation or test set,
     * no files (no run directory), no progress output, plots and TensorBoard on when there is a run
     * directory.
     * Not thread-safe: configure it on one thread.
     */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private Objective objective = Objective.crossEntropy();
        private Dataset trainSet;
        private DataLoader trainLoader;
        private Dataset val;
        private Dataset test;
        private int epochs = 10;
        private int batchSize = 32;
        private long seed;
        private double clipNorm;
        private LrScheduler schedule;
        private EarlyStopping earlyStopping;
        private Path runDir;
        private Path resumeDir;
        private int stopAfter;
        private final List<Metric> metrics = new ArrayList<>();
        private PrintStream out = NULL;
        private PrintStream err = NULL;
        private boolean progress;
        private final List<Callback> callbacks = new ArrayList<>();
        private Map<String, Object> config = new LinkedHashMap<>();
        private Map<String, String> metadata;
        private Random modelRng;
        private int evalBatchSize = 1000;
        private String title = "training";
        private boolean tolerateDivergence;
        private boolean compiled;
        private boolean plots = true;
        private Map<String, NDArray> exportExtras;
        private Map<String, String> exportMetadata;
        private boolean tensorBoard = true;
        private java.time.Clock tensorBoardClock = java.time.Clock.systemUTC();
        private int workers;
        private int shardSize = ShardPlan.DEFAULT_SHARD_SIZE;
        private ReplicaFactory replicas;

        private Builder(Module model, Optimizer optimizer) {
            if (model == null || optimizer == null) {
                throw new IllegalArgumentException("Trainer.builder: the model and the optimizer must not be null");
            }
            this.model = model;
            this.optimizer = optimizer;
        }

        /** What the model is trained to do (default: {@link Objective#crossEntropy()}). */
        public Builder objective(Objective o) {
            this.objective = java.util.Objects.requireNonNull(o, "objective");
            return this;
        }

        /**
         * Trains on {@code data}, shuffled every epoch by a loader seeded from the {@link #seed},
         * in batches of {@link #batchSize}, converted to the model's dtype.
         */
        public Builder train(Dataset data) {
            this.trainSet = java.util.Objects.requireNonNull(data, "data");
            this.trainLoader = null;
            return this;
        }

        /** Trains on the batches of {@code loader} (epoch k is {@code loader.epoch(k - 1)}); batchSize and seed do not apply to it. */
        public Builder train(DataLoader loader) {
            this.trainLoader = java.util.Objects.requireNonNull(loader, "loader");
            this.trainSet = null;
            return this;
        }

        /** Validates on {@code data} after every epoch (null: none). */
        public Builder validation(Dataset data) {
            this.val = data;
            return this;
        }

        /** Scores the best model on {@code data} at the end of {@link #fit} (null: none). */
        public Builder test(Dataset data) {
            this.test = data;
            return this;
        }

        /** The planned total number of epochs (counting those done before a resume); at least 1. */
        public Builder epochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("Trainer.epochs: a run trains at least one epoch, got " + n);
            }
            this.epochs = n;
            return this;
        }

        /** The training batch size; positive. */
        public Builder batchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("Trainer.batchSize: the batch size must be positive, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** The seed the data order and the model's generator derive from ({@link Seeds}). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Clips the gradients to global L2 norm {@code maxNorm} before every step (0: no clipping). */
        public Builder clipGradNorm(double maxNorm) {
            if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException("Trainer.clipGradNorm: the norm must be a finite number >= 0 (0: off), got "
                        + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        /** Steps {@code s} after every epoch (null: constant rate). */
        public Builder schedule(LrScheduler s) {
            this.schedule = s;
            return this;
        }

        /** Stops when {@code e}'s figure stops improving (null: never). */
        public Builder earlyStopping(EarlyStopping e) {
            this.earlyStopping = e;
            return this;
        }

        /** Writes the run's files into {@code dir} (null: no files at all). */
        public Builder runDir(Path dir) {
            this.runDir = dir;
            return this;
        }

        /** Resumes from {@code dir}'s {@code last.safetensors} (null: a fresh run). */
        public Builder resumeFrom(Path dir) {
            this.resumeDir = dir;
            return this;
        }

        /** Stops after epoch {@code n} of the planned run (0: run every epoch), to resume later. */
        public Builder stopAfter(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("--stop-after must be >= 0 (0: run every epoch), got " + n);
            }
            this.stopAfter = n;
            return this;
        }

        /** Adds a user metric (columns {@code train_<name>}, {@code val_<name>}). */
        public Builder metric(Metric m) {
            String name = m.name();
            if (name == null || !name.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("Trainer.metric: the metric name \"" + name
                        + "\" must be letters, digits and '_' (it becomes a CSV column)");
            }
            this.metrics.add(m);
            return this;
        }

        /** Prints epoch summaries and notices to {@code out} (default: nowhere). */
        public Builder out(PrintStream o) {
            this.out = java.util.Objects.requireNonNull(o, "out");
            return this;
        }

        /** Draws a progress bar per epoch on {@code err} when {@code enabled} (default: none). */
        public Builder progress(PrintStream e, boolean enabled) {
            this.err = java.util.Objects.requireNonNull(e, "err");
            this.progress = enabled;
            return this;
        }

        /** Adds {@code c}, run after the built-ins and the callbacks added before it. */
        public Builder callback(Callback c) {
            this.callbacks.add(java.util.Objects.requireNonNull(c, "callback"));
            return this;
        }

        /**
         * The run's settings (values: numbers, strings, booleans or null), written to
         * {@code config.json}, to TensorBoard as text and hparams, and — as strings, unless
         * {@link #metadata} is given — into every checkpoint's metadata.
         */
        public Builder config(Map<String, ?> c) {
            this.config = new LinkedHashMap<>(c);
            return this;
        }

        /** The checkpoint metadata (default: {@link #config}'s values as strings); {@code epoch} and {@code format} are added. */
        public Builder metadata(Map<String, String> m) {
            this.metadata = m;
            return this;
        }

        /** The generator the model draws from while training (its dropout layers'), reseeded every epoch. */
        public Builder modelRng(Random r) {
            this.modelRng = r;
            return this;
        }

        /** The batch size of evaluation (no effect on results). */
        public Builder evalBatchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("Trainer.evalBatchSize: must be positive, got " + n);
            }
            this.evalBatchSize = n;
            return this;
        }

        /** The title of the plots. */
        public Builder title(String t) {
            this.title = t;
            return this;
        }

        /**
         * Runs each training step through a {@link Compiled#step compiled step}: recorded once per
         * guard key (input shapes and dtypes, the training flag, and the batch's class labels, which
         * the loss reads on the host), then replayed without building a graph, with bitwise the same
         * results as eager steps (default: off, eager). Targets (regression) flow through the tape,
         * so such runs replay from the third batch of a shape on; a classification batch with new
         * labels is traced again (an eager step). Steps the tracer cannot compile run eagerly.
         */
        public Builder compiled(boolean on) {
            this.compiled = on;
            return this;
        }

        /** Makes a diverging run (a non-finite loss) stop quietly instead of throwing (studies). */
        public Builder tolerateDivergence(boolean on) {
            this.tolerateDivergence = on;
            return this;
        }

        /**
         * Whether a run with a run directory writes TensorBoard event files into it (default: yes;
         * {@link TensorBoardCallback}).
         */
        public Builder tensorBoard(boolean on) {
            this.tensorBoard = on;
            return this;
        }

        /** The clock of TensorBoard's wall times (tests pass a fixed one for byte-identical files). */
        public Builder tensorBoardClock(java.time.Clock clock) {
            this.tensorBoardClock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether a run with a run directory draws loss and accuracy plots (default: yes). */
        public Builder plots(boolean on) {
            this.plots = on;
            return this;
        }

        /**
         * At the end of the run, writes {@code model.safetensors} in the run directory from
         * {@code best.safetensors}, with {@code extras} (named {@code preprocess.*}, e.g. a
         * standardizer's mean and std) and {@code meta} ({@link ModelExport}).
         */
        public Builder exportModel(Map<String, NDArray> extras, Map<String, String> meta) {
            this.exportExtras = new LinkedHashMap<>(extras);
            this.exportMetadata = new LinkedHashMap<>(meta);
            return this;
        }

        /**
         * Trains data-parallel on {@code n} threads ({@link DataParallel}), each with a replica that
         * {@code replicas} builds (the model's architecture); {@code n = 0} turns it off (the
         * default: one model on the calling thread). With {@code n >= 1} the result depends on the
         * {@link #shardSize}, never on {@code n}.
         *
         * @throws IllegalArgumentException if {@code n < 0}, or {@code n >= 1} without a factory
         */
        public Builder workers(int n, ReplicaFactory replicas) {
            if (n < 0) {
                throw new IllegalArgumentException("Trainer.workers: the number of workers must be at least 1 (or 0: no "
                        + "data parallelism), got " + n + "; pass --workers 1 or more");
            }
            if (n > 0 && replicas == null) {
                throw new IllegalArgumentException("Trainer.workers: data-parallel training needs a ReplicaFactory that "
                        + "builds the model's architecture, e.g. rng -> new MyNet(rng); got null");
            }
            this.workers = n;
            this.replicas = replicas;
            return this;
        }

        /** The micro-shard size of data-parallel training (default {@link ShardPlan#DEFAULT_SHARD_SIZE}). */
        public Builder shardSize(int m) {
            if (m < 1) {
                throw new IllegalArgumentException("Trainer.shardSize: the micro-shard size must be at least 1 sample, got "
                        + m + "; pass a positive --shard-size (default " + ShardPlan.DEFAULT_SHARD_SIZE + ")");
            }
            this.shardSize = m;
            return this;
        }

        /** The trainer. */
        public Trainer build() {
            if (trainSet != null) {
                trainLoader = DataLoader.builder(trainSet).batchSize(batchSize).shuffle(true)
                        .seed(Seeds.derive(seed, Seeds.SHUFFLE, 0)).dtype(model.dtype()).build();
            }
            return new Trainer(this);
        }
    }
}
