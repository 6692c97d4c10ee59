package dev.nabla.train;

import dev.nabla.autograd.Variable;
import dev.nabla.data.Batch;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a {@link Callback} sees of a run: where the loop is (epoch, batch, global step), the last
 * batch's loss, the figures so far, the model and optimizer, the run directory and settings, and a
 * way to ask the loop to stop. One context lives for the whole of {@link Trainer#fit}; its values
 * change as the loop advances, so read them inside the callback rather than keeping them.
 *
 * <p>Not thread-safe: it belongs to the training thread.
 */
public final class TrainContext {
    private final Trainer trainer;
    int epoch;
    int batchIndex = -1;
    long step;
    Batch batch;
    Variable output;
    double batchLoss = Double.NaN;
    long samplesSeen;
    Trainer.EpochResult epochResult;
    boolean improved;
    Trainer.Score testScore;
    private boolean stopRequested;
    private String stopReason;

    TrainContext(Trainer trainer) {
        this.trainer = trainer;
    }

    /** The epoch being trained (1-based; 0 before the first). */
    public int epoch() {
        return epoch;
    }

    /** The planned total number of epochs of the run (counting epochs done before a resume). */
    public int epochs() {
        return trainer.epochs;
    }

    /** The epoch this invocation started after: 0 for a fresh run, k when resumed from epoch k's checkpoint. */
    public int startEpoch() {
        return trainer.startEpoch;
    }

    /** The index of the current batch within the epoch (0-based), -1 outside a batch. */
    public int batchIndex() {
        return batchIndex;
    }

    /** Batches per training epoch. */
    public int batchesPerEpoch() {
        return trainer.loader.numBatches();
    }

    /** Training samples per epoch. */
    public int samplesPerEpoch() {
        return trainer.loader.samplesPerEpoch();
    }

    /** Samples of the current epoch done so far. */
    public long samplesSeen() {
        return samplesSeen;
    }

    /** Optimizer steps since the start of the run (a resumed run counts the epochs done before it), 1-based after the first. */
    public long step() {
        return step;
    }

    /** The current batch (null outside a batch). */
    public Batch batch() {
        return batch;
    }

    /** The model's output on the current batch, set from {@link Callback#onAfterBackward} on (null before). */
    public Variable output() {
        return output;
    }

    /** The mean loss of the current batch, set from {@link Callback#onAfterBackward} on (NaN before). */
    public double batchLoss() {
        return batchLoss;
    }

    /** The figures of the epoch that just ended (in {@link Callback#onEpochEnd}; the previous epoch's elsewhere, or null). */
    public Trainer.EpochResult epochResult() {
        return epochResult;
    }

    /** Whether the epoch that just ended has the best validation score so far (in {@link Callback#onEpochEnd}). */
    public boolean improved() {
        return improved;
    }

    /** The epoch with the best validation score so far (0 before any). */
    public int bestEpoch() {
        return trainer.bestEpoch;
    }

    /** Loss and accuracy on the test set, in {@link Callback#onTrainEnd} when the trainer has one (else null). */
    public Trainer.Score testScore() {
        return testScore;
    }

    /** The history of metric column {@code name} (one value per finished epoch, resumed ones included). */
    public double[] history(String name) {
        return trainer.history(name);
    }

    /** The metric columns of the run's log, in order (after {@code epoch}). */
    public java.util.List<String> columns() {
        return trainer.columns();
    }

    /** The model being trained. */
    public Module model() {
        return trainer.model;
    }

    /** The optimizer. */
    public Optimizer optimizer() {
        return trainer.optimizer;
    }

    /** The learning rate now. */
    public double lr() {
        return trainer.optimizer.lr();
    }

    /** The run directory, or null when the run writes no files. */
    public Path runDir() {
        return trainer.runDir;
    }

    /** The run's settings as given to {@link Trainer.Builder#config} (config.json, TensorBoard text and hparams). */
    public Map<String, Object> config() {
        return trainer.config;
    }

    /** The title of the run (plots, TensorBoard). */
    public String title() {
        return trainer.title;
    }

    /** Where the run prints results (epoch summaries, notices). */
    public PrintStream out() {
        return trainer.out;
    }

    /** The state a checkpoint of this moment holds (model, optimizer, trainer history and best score, settings). */
    public Checkpoints.Contents checkpoint() {
        return trainer.contents(epoch);
    }

    /**
     * Asks the loop to stop after the current epoch (its {@code onEpochEnd} callbacks all run);
     * {@code reason} is printed. The first request's reason is kept.
     */
    public void stop(String reason) {
        if (!stopRequested) {
            stopRequested = true;
            stopReason = reason;
        }
    }

    /** Whether {@link #stop} was called. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** The reason given to the first {@link #stop}, or null. */
    public String stopReason() {
        return stopReason;
    }
}
