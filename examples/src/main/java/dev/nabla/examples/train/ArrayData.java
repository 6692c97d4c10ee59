package dev.nabla.examples.train;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * An in-memory labelled data set for the trainer: inputs {@code x} of shape {@code (N, ...)} and
 * either class labels ({@code int[N]}) or targets of shape {@code (N, ...)}. It cuts itself into
 * mini-batches, in order or in a seeded random order.
 */
public final class ArrayData {
    /** Inputs, shape {@code (N, ...)}. */
    public final NDArray x;
    /** Class labels, or null for targets. */
    public final int[] labels;
    /** Targets, or null for labels. */
    public final NDArray targets;

    /** A classification set. */
    public ArrayData(NDArray x, int[] labels) {
        this(x, labels, null);
    }

    /** A regression set. */
    public ArrayData(NDArray x, NDArray targets) {
        this(x, null, targets);
    }

    private ArrayData(NDArray x, int[] labels, NDArray targets) {
        int n = x.shape(0);
        if (labels != null && labels.length != n || targets != null && targets.shape(0) != n) {
            throw new IllegalArgumentException("ArrayData: inputs " + Shapes.str(x.shape()) + " and "
                    + (labels != null ? labels.length + " labels" : "targets " + Shapes.str(targets.shape()))
                    + " disagree on the number of samples");
        }
        this.x = x;
        this.labels = labels;
        this.targets = targets;
    }

    /** Number of samples. */
    public int size() {
        return x.shape(0);
    }

    /** The samples at {@code idx}, in that order. */
    public TrainBatch gather(int[] idx) {
        return new TrainBatch(x.take(idx), labels == null ? null : pick(labels, idx), targets == null ? null : targets.take(idx));
    }

    /** The samples {@code from..to-1}. */
    public ArrayData range(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        TrainBatch b = gather(idx);
        return b.labels != null ? new ArrayData(b.x, b.labels) : new ArrayData(b.x, b.targets);
    }

    /** The first {@code n} samples ({@code n <= 0} or {@code n >= size()}: all of them). */
    public ArrayData limit(int n) {
        return n <= 0 || n >= size() ? this : range(0, n);
    }

    /** The same samples with inputs reshaped to {@code (N, shape...)}. */
    public ArrayData reshapeInputs(int... shape) {
        int[] full = new int[shape.length + 1];
        full[0] = size();
        System.arraycopy(shape, 0, full, 1, shape.length);
        NDArray r = x.reshape(full);
        return labels != null ? new ArrayData(r, labels) : new ArrayData(r, targets);
    }

    private static int[] pick(int[] a, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    /**
     * Mini-batches of {@code batchSize} (the last one smaller unless {@code dropLast}), in a random
     * order drawn from {@code shuffle}, or in order when it is null.
     */
    public Iterable<TrainBatch> batches(int batchSize, Random shuffle, boolean dropLast) {
        int n = size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle != null) {
            for (int i = n - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int count = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        return () -> new Iterator<>() {
            private int b;

            @Override
            public boolean hasNext() {
                return b < count;
            }

            @Override
            public TrainBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = b * batchSize;
                int to = Math.min(n, from + batchSize);
                b++;
                int[] idx = new int[to - from];
                System.arraycopy(order, from, idx, 0, idx.length);
                return gather(idx);
            }
        };
    }

    /** Number of batches {@link #batches} yields. */
    public int batchCount(int batchSize, boolean dropLast) {
        return dropLast ? size() / batchSize : (size() + batchSize - 1) / batchSize;
    }
}
