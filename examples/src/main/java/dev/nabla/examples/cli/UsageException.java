package dev.nabla.examples.cli;

/**
 * A command line that cannot run as given: an unknown model, a value out of range, options that
 * contradict each other or a checkpoint, a path argument of the wrong kind. {@code nabla} prints its
 * message as {@code nabla: error: ...} and exits with status 2 (a runtime failure exits with 1).
 * It is an {@link IllegalArgumentException}, so code that catches those keeps working.
 * Immutable once constructed, like any exception: safe to hand to another thread.
 */
public final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** A usage error whose message names the option, the value given and what to pass instead. */
    public UsageException(String message) {
        super(message);
    }

    /** The same, keeping the exception that revealed the problem. */
    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
