package dev.nabla.data;

/**
 * A finite, indexable collection of {@link Sample}s, as PyTorch's map-style {@code Dataset}.
 * A {@link DataLoader} draws batches from it.
 * Implementations used with a prefetching {@link DataLoader} are read from its background thread,
 * so {@link #get} must be safe to call from another thread; {@link ArrayDataset} and its subsets
 * are immutable and thread-safe.
 */
public interface Dataset {

    /** The number of samples. */
    int size();

    /** The sample at {@code index}, {@code 0 <= index < size()}. */
    Sample get(int index);

    /** A view of the samples at the given positions (in that order), for splits and folds. */
    default Dataset subset(int... indices) {
        return new Subset(this, indices);
    }

    /** Checks {@code index} against {@code size} with a message naming the operation. */
    static void checkIndex(String op, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + index + " is out of range for a dataset of size "
                    + size);
        }
    }
}
