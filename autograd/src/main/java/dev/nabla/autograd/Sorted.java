package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * The {@code (values, indices)} pair of {@link Variable#sort} and {@link Variable#topk}, as
 * PyTorch's named tuple: the values are differentiable (the gradient flows back through the
 * indices), the indices are an INT64 constant.
 * Immutable and thread-safe.
 */
public final class Sorted {
    private final Variable values;
    private final Variable indices;

    Sorted(Variable values, NDArray indices) {
        this(values, Variable.constant(indices));
    }

    Sorted(Variable values, Variable indices) {
        this.values = values;
        this.indices = indices;
    }

    /** The selected values, differentiable. */
    public Variable values() {
        return values;
    }

    /** Their positions along the axis in the input, INT64. */
    public NDArray indices() {
        return indices.data();
    }

    /** The indices as an INT64 constant variable: batched (per example) under {@link Vmap}, where {@link #indices} is refused. */
    public Variable indicesVariable() {
        return indices;
    }
}
