package dev.nabla.examples.train;

import dev.nabla.ndarray.NDArray;

/** One mini-batch: inputs {@code (B, ...)} with class labels or targets. */
public final class TrainBatch {
    /** Inputs. */
    public final NDArray x;
    /** Class labels, or null. */
    public final int[] labels;
    /** Targets, or null. */
    public final NDArray targets;

    /** A batch. */
    public TrainBatch(NDArray x, int[] labels, NDArray targets) {
        this.x = x;
        this.labels = labels;
        this.targets = targets;
    }

    /** Number of samples. */
    public int size() {
        return x.shape(0);
    }
}
