package dev.nabla.train;

import dev.nabla.data.ArrayDataset;

/**
 * The training, validation and test parts of a model's data.
 * Immutable and thread-safe (its datasets are immutable).
 */
public final class DataSplits {
    /** Training part. */
    public final ArrayDataset train;
    /** Validation part (model selection, best checkpoint). */
    public final ArrayDataset validation;
    /** Held-out test part (reported once, at the end). */
    public final ArrayDataset test;

    /** Three parts. */
    public DataSplits(ArrayDataset train, ArrayDataset validation, ArrayDataset test) {
        this.train = train;
        this.validation = validation;
        this.test = test;
    }
}
