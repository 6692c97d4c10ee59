package dev.nabla.train.tensorboard;

import java.io.IOException;

/**
 * An event file (or a protocol buffer inside one) that cannot be read: a truncated record, a
 * length larger than the file, a length or payload CRC that does not match, or a malformed protocol
 * buffer. The message names the source, the byte offset in it and what is wrong, e.g.
 * {@code "run/events.out.tfevents.1.host: offset 88: record 1: payload CRC mismatch (stored 0x..., computed 0x...)"}.
 * It is an {@link IOException} so that callers handle it with other I/O failures.
 * Immutable once constructed, like any exception: safe to hand to another thread.
 */
public final class TensorBoardFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;

    /** A format error in {@code source} at byte {@code offset}. */
    public TensorBoardFormatException(String source, long offset, String problem) {
        super(source + ": offset " + offset + ": " + problem);
        this.source = source;
        this.offset = offset;
    }

    /** The file (or other source) that is malformed. */
    public String source() {
        return source;
    }

    /** The byte offset in the source where the problem was found. */
    public long offset() {
        return offset;
    }
}
