package dev.nabla.data;

import java.util.Arrays;

/**
 * A partition of dataset positions into a training part and a validation part (one split, or one
 * fold of a cross-validation), each sorted ascending. Use with {@link Dataset#subset(int...)}.
 * Immutable and thread-safe. Its arrays are copied out.
 */
public final class IndexSplit {
    private final int[] train;
    private final int[] validation;

    IndexSplit(int[] train, int[] validation) {
        this.train = train;
        this.validation = validation;
    }

    /** The training positions (a copy). */
    public int[] train() {
        return train.clone();
    }

    /** The validation positions (a copy). */
    public int[] validation() {
        return validation.clone();
    }

    /** The training part of {@code data}. */
    public ArrayDataset train(ArrayDataset data) {
        return data.subset(train);
    }

    /** The validation part of {@code data}. */
    public ArrayDataset validation(ArrayDataset data) {
        return data.subset(validation);
    }

    @Override
    public String toString() {
        return "IndexSplit(train=" + train.length + ", validation=" + validation.length + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexSplit && Arrays.equals(train, ((IndexSplit) o).train)
                && Arrays.equals(validation, ((IndexSplit) o).validation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(train) + Arrays.hashCode(validation);
    }
}
