package dev.nabla.nn;

/**
 * Anything that maps an input of type {@code I} to an output of type {@code O}: the type-safe form
 * of a layer with several inputs or outputs, which take and return records (e.g.
 * {@code record Step(Variable output, Variable state)}). {@link MultiModule} is the Module that
 * implements it. Thread-safety is that of the implementation.
 *
 * @param <I> the input type, e.g. a record of Variables
 * @param <O> the output type
 */
@FunctionalInterface
public interface Layer<I, O> {
    /** Computes the output for {@code input}. */
    O apply(I input);
}
