package dev.nabla.nn;

import dev.nabla.autograd.Variable;

/**
 * The feed-forward activation of the transformer layers, PyTorch's {@code activation="relu"} or
 * {@code "gelu"} (the exact erf form).
 * Immutable and thread-safe (an enum).
 */
public enum TransformerActivation {
    /** {@code max(x, 0)}, PyTorch's default. */
    RELU,
    /** {@code x Φ(x)}, the erf form. */
    GELU;

    /** Applies the activation to {@code x}. */
    public Variable apply(Variable x) {
        return this == RELU ? Functional.relu(x) : Functional.gelu(x);
    }

    /** PyTorch's name: {@code relu} or {@code gelu}. */
    public String torchName() {
        return this == RELU ? "relu" : "gelu";
    }
}
