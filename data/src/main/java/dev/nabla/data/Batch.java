package dev.nabla.data;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * A collated mini-batch: inputs stacked along a new leading axis ({@code (B, ...)}), and either
 * the class labels ({@code int[B]}) or the targets stacked the same way. {@link #indices()} are
 * the dataset positions the batch was drawn from.
 * Immutable holder, safe to share; label and index arrays are copied, and its NDArrays are to be
 * treated as read-only.
 */
public final class Batch {
    private final NDArray x;
    private final int[] labels;
    private final NDArray targets;
    private final int[] indices;

    Batch(NDArray x, int[] labels, NDArray targets, int[] indices) {
        this.x = x;
        this.labels = labels;
        this.targets = targets;
        this.indices = indices;
    }

    /** The inputs, shape {@code (B, ...)}. */
    public NDArray x() {
        return x;
    }

    /** The number of samples {@code B}. */
    public int size() {
        return indices.length;
    }

    /** Whether the batch carries class labels (otherwise it carries targets). */
    public boolean hasLabels() {
        return labels != null;
    }

    /** The class labels (a copy); fails for a batch of targets. */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException("Batch.labels: this batch carries targets of shape "
                    + Shapes.str(targets.shape()) + ", not class labels; use targets()");
        }
        return labels.clone();
    }

    /** The targets, shape {@code (B, ...)}; fails for a batch of class labels. */
    public NDArray targets() {
        if (targets == null) {
            throw new IllegalStateException("Batch.targets: this batch carries class labels, not targets; use labels()"
                    + " (or Transforms.oneHot(labels, k) for one-hot targets)");
        }
        return targets;
    }

    /** The dataset positions of the samples, in batch order (a copy). */
    public int[] indices() {
        return indices.clone();
    }

    /**
     * Samples {@code [from, to)} of this batch as a batch of their own (inputs, labels or targets,
     * indices), in order: a micro-shard for data-parallel training.
     *
     * @throws IllegalArgumentException if the range is empty or outside {@code [0, size())}
     */
    public Batch slice(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("Batch.slice: the range [" + from + ", " + to + ") is empty or outside the "
                    + size() + " samples of the batch; pass 0 <= from < to <= " + size());
        }
        return new Batch(x.slice(0, from, to), labels == null ? null : java.util.Arrays.copyOfRange(labels, from, to),
                targets == null ? null : targets.slice(0, from, to), java.util.Arrays.copyOfRange(indices, from, to));
    }
}
