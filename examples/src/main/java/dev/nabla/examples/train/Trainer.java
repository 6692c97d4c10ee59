package dev.nabla.examples.train;

import dev.nabla.ndarray.io.AtomicFiles;
import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.data.ArrayDataset;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.Module;
import dev.nabla.optim.GradClip;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The training loop shared by the models: epochs of shuffled mini-batches (forward, loss, backward,
 * update) with a progress bar on stderr, an evaluation on the validation set, a summary line per
 * epoch, {@code metrics.jsonl}/{@code metrics.csv}, loss and accuracy plots, and the checkpoints
 * {@code last.safetensors} (every epoch) and {@code best.safetensors} (best validation score).
 *
 * <p>Reproducibility: the data order of epoch k depends only on the seed and k (the data
 * module's {@link DataLoader}), the model's own generator (dropout masks) is reseeded from
 * {@code (seed, MODEL, k)} at the start of the epoch, and the optimizer state, the schedule's epoch,
 * the metric history and the best score are all in the checkpoint, so a run resumed from the
 * checkpoint of epoch k continues bitwise as if it had never stopped.
 *
 * <p>Files: every file goes through {@link AtomicFiles}. After an improving epoch {@code best} is
 * written before {@code last}, and resuming reconciles the two ({@link Checkpoints#reconcileBest}),
 * so a crash at any point leaves a run that resumes to the uninterrupted result. Checkpoints hold no
 * wall-clock times (those stay in the metrics log), so the same seed gives the same checkpoint bytes.
 * A resume refuses a config with fewer epochs than the checkpoint has done.
 *
 * <p>Not thread-safe: one trainer drives one model on one thread.
 */
public final class Trainer {
    /** The metric columns (after {@code epoch}) of every training run. */
    public static final List<String> COLUMNS = List.of("train_loss", "train_acc", "val_loss", "val_acc", "lr", "time_s");

    /**
     * Called after each epoch (after metrics and checkpoints are written).
     * Called on the training thread.
     */
    public interface Listener {
        /** Epoch {@code epoch} (1-based) finished with {@code result}. */
        void epochEnd(int epoch, EpochResult result) throws IOException;
    }

    /**
     * Called after every optimizer step with the running step count (1-based) and the batch loss.
     * Called on the training thread, once per step.
     */
    public interface StepListener {
        /** Step {@code step} had mean loss {@code loss}. */
        void step(long step, double loss);
    }

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

        EpochResult(double trainLoss, double trainAcc, double valLoss, double valAcc, double lr, double seconds) {
            this.trainLoss = trainLoss;
            this.trainAcc = trainAcc;
            this.valLoss = valLoss;
            this.valAcc = valAcc;
            this.lr = lr;
            this.seconds = seconds;
        }

        double[] values() {
            return new double[] {trainLoss, trainAcc, valLoss, valAcc, lr, seconds};
        }
    }

    /**
     * Loss and accuracy over a whole data set.
     * Immutable and thread-safe.
     */
    public static final class Score {
        /** Mean loss per sample. */
        public final double loss;
        /** Accuracy in [0, 1] (NaN for regression). */
        public final double accuracy;

        Score(double loss, double accuracy) {
            this.loss = loss;
            this.accuracy = accuracy;
        }
    }

    private final RunContext ctx;
    private final Module model;
    private final Optimizer optimizer;
    private final LrScheduler schedule;
    private final Objective objective;
    private final ArrayDataset train;
    private final ArrayDataset val;
    private final DataLoader loader;
    private final Random modelRng;
    private String title;
    private int evalBatchSize = 1000;
    private boolean writeFiles = true;
    private boolean tolerateDivergence;
    private double clipNorm;
    private int divergedEpoch;
    private final List<Listener> listeners = new ArrayList<>();
    private final List<StepListener> stepListeners = new ArrayList<>();
    private long steps;
    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    private static final long PLOT_INTERVAL_NANOS = 3_000_000_000L;
    private long lastPlot = System.nanoTime();
    private double bestScore = Double.NaN;
    private int bestEpoch;

    /**
     * A trainer of {@code model} with {@code optimizer} (and an optional per-epoch
     * {@code schedule}) on {@code train}, validated on {@code val} (may be null).
     * {@code modelRng} is the generator the model draws from while training (its dropout layers'),
     * reseeded every epoch; null when the model draws nothing.
     */
    public Trainer(RunContext ctx, Module model, Optimizer optimizer, LrScheduler schedule, Objective objective,
                   ArrayDataset train, ArrayDataset val, Random modelRng) {
        this.ctx = ctx;
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.objective = objective;
        this.train = train;
        this.val = val;
        this.modelRng = modelRng;
        this.loader = DataLoader.builder(train).batchSize(ctx.config.batchSize).shuffle(true)
                .seed(Seeds.derive(ctx.config.seed, Seeds.SHUFFLE, 0)).dtype(model.dtype()).build();
        this.title = ctx.config.model;
        for (String c : COLUMNS) {
            history.put(c, new ArrayList<>());
        }
    }

    /** Sets the title of the plots; returns this. */
    public Trainer title(String t) {
        this.title = t;
        return this;
    }

    /** Sets the batch size used for evaluation (no effect on results); returns this. */
    public Trainer evalBatchSize(int n) {
        this.evalBatchSize = n;
        return this;
    }

    /** Clips the gradients to global L2 norm {@code maxNorm} before every step (0: no clipping); returns this. */
    public Trainer clipGradNorm(double maxNorm) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("Trainer.clipGradNorm: the norm must be >= 0 (0: off), got " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /** Turns off metrics, plots and checkpoints (short runs inside a study); returns this. */
    public Trainer noFiles() {
        this.writeFiles = false;
        return this;
    }

    /**
     * Makes a diverging run (a non-finite loss) stop quietly instead of throwing, for studies where
     * divergence is one of the outcomes; see {@link #divergedEpoch()}. Returns this.
     */
    public Trainer tolerateDivergence() {
        this.tolerateDivergence = true;
        return this;
    }

    /** The epoch in which the loss became non-finite, or 0 when training did not diverge. */
    public int divergedEpoch() {
        return divergedEpoch;
    }

    /**
     * Thrown when the training loss becomes NaN or infinite.
     * Immutable once constructed, like any exception: safe to hand to another thread.
     */
    public static final class DivergedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        final int epoch;

        DivergedException(String message, int epoch) {
            super(message);
            this.epoch = epoch;
        }
    }

    /** Adds a listener called after every epoch; returns this. */
    public Trainer listener(Listener l) {
        listeners.add(l);
        return this;
    }

    /** Adds a listener called after every optimizer step; returns this. */
    public Trainer onStep(StepListener l) {
        stepListeners.add(l);
        return this;
    }

    /** The history of column {@code name} (one value per finished epoch). */
    public double[] history(String name) {
        List<Double> h = history.get(name);
        if (h == null) {
            throw new IllegalArgumentException("Trainer.history: no column \"" + name + "\"; columns are " + COLUMNS);
        }
        double[] out = new double[h.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = h.get(i);
        }
        return out;
    }

    /** The epoch with the best validation score (0 before any). */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Trains up to {@code ctx.config.epochs} epochs (resuming first when asked) and returns the last epoch's figures. */
    public EpochResult fit() throws IOException {
        RunConfig cfg = ctx.config;
        Path dir = ctx.dir();
        int start = 0;
        if (ctx.resumeDir != null) {
            Path lastFile = ctx.resumeDir.resolve(Checkpoints.LAST);
            Checkpoints.Contents c = restore(lastFile);
            start = c.epoch();
            if (writeFiles) {
                if (!ctx.resumeDir.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
                    Files.createDirectories(dir);
                    for (String f : new String[] {MetricsLog.JSONL, MetricsLog.CSV, Checkpoints.BEST}) {
                        if (Files.exists(ctx.resumeDir.resolve(f))) {
                            AtomicFiles.copy(ctx.resumeDir.resolve(f), dir.resolve(f));
                        }
                    }
                }
                Checkpoints.Contents ahead = Checkpoints.reconcileBest(dir, lastFile, c, bestEpoch);
                if (ahead != null) {
                    // a crash after writing best, before last: best is the epoch about to be redone
                    bestScore = Checkpoints.trainerNumber(ahead, "best_score", dir.resolve(Checkpoints.BEST), "--resume");
                    bestEpoch = Checkpoints.trainerEpoch(ahead, "best_epoch", dir.resolve(Checkpoints.BEST), "--resume");
                }
            }
            ctx.out.printf(Locale.ROOT, "resumed from %s at epoch %d%n", lastFile, start);
        }
        MetricsLog log = null;
        if (writeFiles) {
            Files.createDirectories(dir);
            AtomicFiles.writeString(dir.resolve("config.json"), cfg.toJson());
            log = MetricsLog.open(dir, COLUMNS, ctx.resumeDir != null ? start : -1);
        }
        EpochResult last = null;
        try {
            for (int epoch = start + 1; epoch <= ctx.lastEpoch(); epoch++) {
                try {
                    last = runEpoch(epoch);
                } catch (DivergedException e) {
                    if (!tolerateDivergence) {
                        throw e;
                    }
                    divergedEpoch = e.epoch;
                    break;
                }
                double[] v = last.values();
                for (int i = 0; i < COLUMNS.size(); i++) {
                    history.get(COLUMNS.get(i)).add(v[i]);
                }
                boolean improved = improve(epoch, last);
                if (printed(epoch, start, cfg.epochs)) {
                    ctx.out.println(summary(epoch, cfg.epochs, last) + (improved && val != null ? "  *" : ""));
                }
                if (writeFiles) {
                    log.append(epoch, v);
                    Checkpoints.Contents c = contents(epoch);
                    // best before last: a crash in between leaves a best one epoch ahead, which resume recognizes
                    if (improved) {
                        Checkpoints.save(dir.resolve(Checkpoints.BEST), c);
                        saveHook.saved(Checkpoints.BEST, epoch);
                    }
                    Checkpoints.save(dir.resolve(Checkpoints.LAST), c);
                    saveHook.saved(Checkpoints.LAST, epoch);
                    long now = System.nanoTime();
                    if (epoch == cfg.epochs || now - lastPlot > PLOT_INTERVAL_NANOS) {
                        plot(dir);
                        lastPlot = System.nanoTime();
                    }
                }
                for (Listener l : listeners) {
                    l.epochEnd(epoch, last);
                }
            }
        } finally {
            if (log != null) {
                log.close();
            }
        }
        if (ctx.lastEpoch() < cfg.epochs && writeFiles) {
            ctx.out.printf(Locale.ROOT, "stopped after epoch %d of %d; continue with: nabla train --resume %s%n",
                    ctx.lastEpoch(), cfg.epochs, dir);
        }
        return last;
    }

    private EpochResult runEpoch(int epoch) {
        RunConfig cfg = ctx.config;
        long t0 = System.nanoTime();
        model.train();
        if (modelRng != null) {
            modelRng.setSeed(Seeds.derive(cfg.seed, Seeds.MODEL, epoch));
        }
        double lr = optimizer.lr();
        ProgressBar bar = new ProgressBar(ctx.err, ctx.progress,
                String.format(Locale.ROOT, "epoch %" + digits(cfg.epochs) + "d/%d", epoch, cfg.epochs), train.size());
        double lossSum = 0;
        double correct = 0;
        long seen = 0;
        for (Batch b : loader.epoch(epoch - 1)) {
            model.zeroGrad();
            Variable out = model.call(new Variable(b.x().astype(model.dtype())));
            Variable loss = objective.loss(out, b);
            double l = loss.item();
            if (!Double.isFinite(l)) {
                bar.finish();
                throw new DivergedException("training diverged: the loss is " + l + " in epoch " + epoch + " after "
                        + seen + " samples; lower the learning rate (--lr " + cfg.lr + ") or pick another optimizer", epoch);
            }
            loss.backward();
            if (clipNorm > 0) {
                GradClip.clipGradNorm(optimizer.params(), clipNorm);
            }
            optimizer.step();
            steps++;
            for (StepListener sl : stepListeners) {
                sl.step(steps, l);
            }
            lossSum += l * b.size();
            correct += objective.correct(out.data(), b);
            seen += b.size();
            bar.step(b.size(), l);
        }
        bar.finish();
        Score v = val == null ? new Score(Double.NaN, Double.NaN) : evaluate(model, objective, val, evalBatchSize);
        if (schedule != null) {
            schedule.step();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EpochResult(lossSum / seen, correct / seen, v.loss, v.accuracy, lr, seconds);
    }

    /**
     * Whether epoch's summary line is printed: always for runs of up to 30 epochs, else the first,
     * the last and about 20 evenly spaced ones (metrics.csv has every epoch).
     */
    static boolean printed(int epoch, int start, int epochs) {
        if (epochs <= 30 || epoch == start + 1 || epoch == epochs) {
            return true;
        }
        int every = (epochs + 19) / 20;
        return epoch % every == 0;
    }

    private static int digits(int n) {
        return Integer.toString(Math.max(n, 1)).length();
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

    /** The one-line epoch summary. */
    static String summary(int epoch, int epochs, EpochResult r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d  train loss %.4f",
                epoch, epochs, r.trainLoss));
        if (Double.isFinite(r.trainAcc)) {
            sb.append(String.format(Locale.ROOT, " acc %.2f%%", 100 * r.trainAcc));
        }
        if (Double.isFinite(r.valLoss)) {
            sb.append(String.format(Locale.ROOT, "  val loss %.4f", r.valLoss));
            if (Double.isFinite(r.valAcc)) {
                sb.append(String.format(Locale.ROOT, " acc %.2f%%", 100 * r.valAcc));
            }
        }
        sb.append(String.format(Locale.ROOT, "  %.1fs", r.seconds));
        return sb.toString();
    }

    /** Mean loss and accuracy of {@code model} (in eval mode, without recording) over {@code data}. */
    public static Score evaluate(Module model, Objective objective, ArrayDataset data, int batchSize) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        double correct = 0;
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (Batch b : DataLoader.of(data, batchSize)) {
                Variable out = model.call(new Variable(b.x().astype(model.dtype())));
                lossSum += objective.loss(out, b).item() * b.size();
                correct += objective.correct(out.data(), b);
            }
        } finally {
            model.train(wasTraining);
        }
        return new Score(lossSum / data.size(), correct / data.size());
    }

    private Checkpoints.Contents contents(int epoch) {
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
        Map<String, String> meta = new LinkedHashMap<>(ctx.config.toMetadata());
        meta.put("epoch", Integer.toString(epoch));
        return new Checkpoints.Contents(model.stateDict(), optimizer.stateDict(), trainer, meta);
    }

    private Checkpoints.Contents restore(Path ckpt) throws IOException {
        if (!Files.isRegularFile(ckpt)) {
            throw new IllegalArgumentException("--resume: " + ckpt + " does not exist");
        }
        Checkpoints.Contents c = Checkpoints.upgrade(Checkpoints.load(ckpt), model, ctx.err::println);
        int epoch = c.epoch();
        if (ctx.config.epochs < epoch) {
            throw new IllegalArgumentException("--resume: " + ckpt + " is after epoch " + epoch + " but the run asks for "
                    + ctx.config.epochs + " epochs in total; pass --epochs " + epoch + " or more (the total, counting the "
                    + epoch + " done)");
        }
        model.loadStateDict(c.model, true);
        optimizer.loadStateDict(c.optimizer);
        if (schedule != null) {
            schedule.setEpoch(epoch);
        }
        for (String col : COLUMNS) {
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

    /** Told after each checkpoint file is written (tests simulate a crash between writes with it). */
    @FunctionalInterface
    interface SaveHook {
        /** {@code file} ({@link Checkpoints#LAST} or {@link Checkpoints#BEST}) was written after {@code epoch}. */
        void saved(String file, int epoch) throws IOException;
    }

    private SaveHook saveHook = (file, epoch) -> { };

    /** Sets the hook told after each checkpoint write (package-private: for tests); returns this. */
    Trainer afterSave(SaveHook hook) {
        this.saveHook = hook;
        return this;
    }

    private void plot(Path dir) throws IOException {
        double[] epochs = new double[history.get("train_loss").size()];
        for (int i = 0; i < epochs.length; i++) {
            epochs[i] = i + 1;
        }
        Plots.lines(dir.resolve("loss.png"), title + ": loss", "epoch", "loss", List.of(
                new Plots.Series("train", epochs, history("train_loss")),
                new Plots.Series("validation", epochs, history("val_loss"))), false);
        if (Double.isFinite(history("train_acc")[0])) {
            Plots.lines(dir.resolve("accuracy.png"), title + ": accuracy", "epoch", "accuracy", List.of(
                    new Plots.Series("train", epochs, history("train_acc")),
                    new Plots.Series("validation", epochs, history("val_acc"))), false);
        }
    }
}
