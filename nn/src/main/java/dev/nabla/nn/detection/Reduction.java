package dev.nabla.nn.detection;

/**
 * How a loss reduces its per-box values, as torchvision's {@code reduction} argument.
 * Immutable and thread-safe (an enum).
 */
public enum Reduction {
    /** No reduction: one value per box pair. */
    NONE,
    /** The mean over box pairs (0 for no pairs, as torchvision). */
    MEAN,
    /** The sum over box pairs. */
    SUM
}
