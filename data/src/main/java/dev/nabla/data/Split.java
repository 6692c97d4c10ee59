package dev.nabla.data;

/**
 * Which part of a data set that ships with a fixed train/test partition (MNIST) to load.
 * Immutable and thread-safe (an enum).
 */
public enum Split {
    /** The training part. */
    TRAIN,
    /** The held-out test part. */
    TEST
}
