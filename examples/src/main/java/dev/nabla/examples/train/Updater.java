package dev.nabla.examples.train;

import dev.nabla.ndarray.NDArray;
import java.util.Map;

/**
 * What the trainer needs of an optimizer: one update step from the current gradients, its learning
 * rate for the logs, and its state for checkpoints.
 */
public interface Updater {

    /** Updates the parameters from their gradients. */
    void step();

    /** The current learning rate (NaN when it has none). */
    default double lr() {
        return Double.NaN;
    }

    /** Called at the end of every epoch with the validation loss (learning-rate schedules hook in here). */
    default void epochEnd(int epoch, double valLoss) {
    }

    /** The state to checkpoint (moment estimates, step counts, ...). */
    Map<String, NDArray> stateDict();

    /** Restores a state from {@link #stateDict()}. */
    void loadStateDict(Map<String, NDArray> state);
}
