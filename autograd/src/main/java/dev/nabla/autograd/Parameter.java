package dev.nabla.autograd;

import dev.nabla.ndarray.NDArray;

/**
 * A leaf variable that requires grad unless frozen and is updated in place by optimizers. It lives
 * in autograd so that optimizers need nothing from the nn module. {@code requiresGrad(false)}
 * freezes it (PyTorch's {@code p.requires_grad_(False)}): backward then gives it no gradient and
 * optimizers skip it; {@code requiresGrad(true)} unfreezes it.
 * Thread-safe for gradient accumulation: backward passes on several threads at once add every
 * contribution to {@code .grad} exactly once (atomically per parameter), and {@link #grad()},
 * {@link #setGrad} and {@link #clearGrad()} synchronize with them. Its data is not: an optimizer
 * updates it in place, so no forward or backward pass may use the parameter while an optimizer
 * steps.
 */
public class Parameter extends Variable {

    /**
     * A parameter holding {@code data} (not copied).
     *
     * @throws IllegalArgumentException if {@code data} is not floating point (only those can require gradients)
     */
    public Parameter(NDArray data) {
        super(floating(data), true);
    }

    /** A named parameter. */
    public Parameter(NDArray data, String name) {
        super(floating(data), true);
        named(name);
    }

    private static NDArray floating(NDArray data) {
        if (data != null) {
            checkCanRequireGrad("Parameter", data);
        }
        return data;
    }

    /**
     * Replaces the value with {@code value} of the same shape, possibly of another dtype (PyTorch's
     * {@code param.data = ...}, used by {@code Module.to(DType)}), and clears the gradient. The
     * parameter object stays the same, so optimizers that hold it keep working.
     */
    public void setData(NDArray value) {
        if (value != null) {
            checkCanRequireGrad("Parameter.setData", value);
        }
        replaceData("Parameter.setData", value);
    }

    /**
     * Freezes ({@code false}) or unfreezes ({@code true}) this parameter. A frozen parameter is a
     * constant for graphs recorded from now on: an operation whose inputs are all frozen or constant
     * records nothing, the backward of a recorded operation skips the gradient of a frozen input, and
     * every {@code Optimizer} leaves frozen parameters (and their state) untouched. Freezing does not
     * clear an existing {@code .grad}; call {@link #clearGrad()} for that, as in PyTorch.
     */
    @Override
    public Parameter requiresGrad(boolean on) {
        super.requiresGrad(on);
        return this;
    }
}
