package dev.nabla.train.tensorboard;

/**
 * A protocol-buffer decoding error at a byte offset of the buffer being decoded; the readers turn
 * it into a {@link TensorBoardFormatException} that names the file and the offset in it.
 * Immutable once constructed, like any exception.
 */
final class ProtoException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    ProtoException(int offset, String problem) {
        super(problem);
        this.offset = offset;
    }

    /** The offset in the decoded buffer where the problem was found. */
    int offset() {
        return offset;
    }
}
