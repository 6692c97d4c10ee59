package dev.nabla.train;

import dev.nabla.data.Batch;
import dev.nabla.ndarray.NDArray;

/**
 * A figure the trainer accumulates over the batches of an epoch and over the validation and test
 * sets, beside loss and accuracy: its values go into the metrics log as {@code train_<name>} and
 * {@code val_<name>}, into {@link Trainer.EpochResult#metrics} and into TensorBoard.
 *
 * <p>The trainer calls {@link #reset} before each pass (a training epoch, a validation, the test),
 * {@link #update} with each batch's model output (no gradient),
 * and {@link #value} at the end of the pass, all from its own
 * thread: an implementation need not be thread-safe.
 */
public interface Metric {

    /** The column name (letters, digits and '_'), e.g. {@code "mae"}. */
    String name();

    /** Forgets everything seen: a new pass starts. */
    void reset();

    /** Accumulates one batch: {@code output} is the model's output for {@code batch}. */
    void update(NDArray output, Batch batch);

    /** The figure over every batch since {@link #reset} (NaN before any). */
    double value();
}
