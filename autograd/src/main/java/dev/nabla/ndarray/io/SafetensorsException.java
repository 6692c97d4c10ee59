package dev.nabla.ndarray.io;

import java.io.IOException;

/**
 * A safetensors file that cannot be read because it is malformed: truncated, a corrupt header
 * length, bad JSON, inconsistent offsets or an unsupported dtype. The message names the file, the
 * tensor and what is wrong. It is an {@link IOException} so that callers handle it with other I/O
 * failures.
 * Immutable once constructed, like any exception: safe to hand to another thread.
 */
public final class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A format error with a message naming the file, the tensor and the problem. */
    public SafetensorsException(String message) {
        super(message);
    }
}
