package dev.nabla.autograd;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;

/**
 * Dtype conversion {@code y = x.astype(dtype)}: as a map of real numbers the identity, so the
 * backward pass passes the gradient through, converted back to the input's dtype (float64 to
 * float32 rounds; float32 to float64 is exact). Rounding makes the float32 forward piecewise
 * constant, which is why central differences cannot check a float64 to float32 cast (see the
 * registry entry).
 * Not thread-safe: an instance is one recorded application, created and applied on one thread (a
 * second {@link Node#apply} is refused); once recorded, several threads may backpropagate through
 * it at once with retainGraph, since its backward only reads what its forward saved.
 */
public final class AstypeNode extends Node {
    private final DType dtype;

    /** Converts to {@code dtype}. */
    public AstypeNode(DType dtype) {
        if (dtype == null) {
            throw new IllegalArgumentException("astype: dtype must not be null");
        }
        this.dtype = dtype;
    }

    @Override
    protected boolean savesInputs() {
        return false;
    }

    @Override
    protected NDArray forward(NDArray... x) {
        return x[0].astype(dtype); // the input itself when the dtype already matches, like a reshape view
    }

    @Override
    protected Variable[] backward(Variable gy) {
        return new Variable[] {gy.astype(input(0).dtype())};
    }

    @Override
    protected Variable tangent(Variable[] t) {
        return t[0].astype(dtype);
    }

    @Override
    protected Variable batch(Batch b) {
        return new AstypeNode(dtype).apply(b.physical(0));
    }
}
