package dev.nabla.train;

import dev.nabla.data.ArrayDataset;
import dev.nabla.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training, validation and test parts of a model's data.
 * Immutable and thread-safe (its datasets are immutable; treat the preprocessing arrays as read-only).
 */
public final class DataSplits {
    /** Training part. */
    public final ArrayDataset train;
    /** Validation part (model selection, best checkpoint). */
    public final ArrayDataset validation;
    /** Held-out test part (reported once, at the end). */
    public final ArrayDataset test;

    /**
     * The preprocessing fitted on the training part that the model needs at inference, as tensors
     * named {@code preprocess.*} (e.g. a standardizer's {@code preprocess.mean} and
     * {@code preprocess.std}), exported beside the weights by {@link ModelExport}; empty when none.
     */
    public final Map<String, NDArray> preprocess;

    /** Three parts without preprocessing to export. */
    public DataSplits(ArrayDataset train, ArrayDataset validation, ArrayDataset test) {
        this(train, validation, test, Map.of());
    }

    /** Three parts and the preprocessing the model needs ({@code preprocess.*} tensors). */
    public DataSplits(ArrayDataset train, ArrayDataset validation, ArrayDataset test, Map<String, NDArray> preprocess) {
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.preprocess = Collections.unmodifiableMap(new LinkedHashMap<>(preprocess));
    }
}
