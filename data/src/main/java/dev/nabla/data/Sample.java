package dev.nabla.data;

import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;

/**
 * One example of a {@link Dataset}: an input {@code x} and either an integer class label
 * (classification) or a target array (regression, sequence prediction).
 * Immutable holder, safe to share; treat its arrays as read-only (see {@link NDArray}).
 */
public final class Sample {
    private final NDArray x;
    private final int label;
    private final NDArray target;

    private Sample(NDArray x, int label, NDArray target) {
        if (x == null) {
            throw new IllegalArgumentException("Sample: x must not be null");
        }
        this.x = x;
        this.label = label;
        this.target = target;
    }

    /** A classification example; {@code label} is a class index {@code >= 0}. */
    public static Sample of(NDArray x, int label) {
        if (label < 0) {
            throw new IllegalArgumentException("Sample: class label must be >= 0 but got " + label);
        }
        return new Sample(x, label, null);
    }

    /** A regression example with a target array. */
    public static Sample of(NDArray x, NDArray target) {
        if (target == null) {
            throw new IllegalArgumentException("Sample: target must not be null (use Sample.of(x, label) for a class label)");
        }
        return new Sample(x, -1, target);
    }

    /** The input. */
    public NDArray x() {
        return x;
    }

    /** Whether this example carries an integer class label (otherwise it carries a target array). */
    public boolean hasLabel() {
        return target == null;
    }

    /** The class label; fails for an example that carries a target array. */
    public int label() {
        if (target != null) {
            throw new IllegalStateException("Sample.label: this sample has a target array of shape "
                    + Shapes.str(target.shape()) + ", not a class label; use target()");
        }
        return label;
    }

    /** The target array; fails for an example that carries a class label. */
    public NDArray target() {
        if (target == null) {
            throw new IllegalStateException("Sample.target: this sample has the class label " + label
                    + ", not a target array; use label()");
        }
        return target;
    }
}
