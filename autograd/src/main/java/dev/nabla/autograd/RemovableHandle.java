package dev.nabla.autograd;

/**
 * Undoes one registration (PyTorch's {@code RemovableHandle}), returned by
 * {@link Variable#registerHook} and by the nn module hooks. Removing twice is harmless.
 * Implementations are thread-safe when the registry they remove from is (see the registering method).
 */
@FunctionalInterface
public interface RemovableHandle {
    /** Removes the hook; later calls do nothing. */
    void remove();
}
