package dev.nabla.autograd.compile;

import dev.nabla.autograd.Variable;

/**
 * The forward half of a training step: the scalar loss of the step's inputs, built from
 * {@link Variable} operations as in eager mode. A compiled step calls it once per trace; on a
 * replay it is not called at all, so it must not have side effects the step depends on (counters,
 * Random draws outside a node): those are seen only when it is traced.
 * Implementations need not be thread-safe: a compiled step calls it on its own thread.
 */
@FunctionalInterface
public interface StepFunction {
    /** The loss (a one-element Variable that requires grad) of {@code inputs}, wrapped as constants. */
    Variable loss(Variable[] inputs);
}
