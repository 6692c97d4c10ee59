package dev.nabla.nn;

/**
 * How a loss reduces its per-element (or per-sample) values, PyTorch's {@code reduction}
 * argument: {@link #MEAN} (the default everywhere, as in PyTorch), {@link #SUM}, or {@link #NONE}
 * (the unreduced values, one per element or per sample, so a caller can mask or weight them).
 * Immutable and thread-safe (an enum).
 */
public enum Reduction {
    /** Unreduced: one value per element (elementwise losses) or per sample (classification losses). */
    NONE,
    /** The mean: over elements, or for weighted classification losses over the summed weights of the targets. */
    MEAN,
    /** The sum over every element or sample. */
    SUM;

    /** PyTorch's spelling: {@code none}, {@code mean} or {@code sum}. */
    public String torchName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
