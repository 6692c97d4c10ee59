package dev.nabla.train.tensorboard;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a TensorBoard event file record by record and decodes each {@link Event}. Every record is
 * checked before it is decoded: the masked CRC-32C of its length, the length against the bytes left
 * in the file (so a corrupt length never causes an allocation larger than the file), and the masked
 * CRC-32C of its payload. Any corruption, truncation or malformed protocol buffer raises a
 * {@link TensorBoardFormatException} naming the file, the byte offset and the record's index; no
 * other exception escapes for bad content.
 *
 * <p>The file is read as it was when opened: a file that a writer is still appending to ends, for
 * this reader, in a truncated-record exception at the offset of the incomplete record (TensorBoard
 * itself waits there and retries). After an exception the reader's position is undefined: close it.
 * Not thread-safe: one reader per thread.
 */
public final class EventReader implements Closeable {
    private final String source;
    private final InputStream in;
    private final long size;
    private long offset;
    private int index;

    private EventReader(Path file) throws IOException {
        this.source = file.toString();
        this.size = Files.size(file);
        this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    /** Opens {@code file} for reading from its first record. */
    public static EventReader open(Path file) throws IOException {
        return new EventReader(file);
    }

    /** Every event in {@code file}, in order. */
    public static List<Event> readAll(Path file) throws IOException {
        try (EventReader r = open(file)) {
            List<Event> out = new ArrayList<>();
            for (Optional<Event> e = r.next(); e.isPresent(); e = r.next()) {
                out.add(e.get());
            }
            return out;
        }
    }

    /** The byte offset of the next record. */
    public long offset() {
        return offset;
    }

    /** The next event, or empty at the end of the file. */
    public Optional<Event> next() throws IOException {
        long start = offset;
        int record = index;
        byte[] payload = nextPayload();
        if (payload == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventCodec.decode(payload));
        } catch (ProtoException e) {
            throw new TensorBoardFormatException(source, start + TfRecord.HEADER + e.offset(),
                    "record " + record + ": malformed Event protocol buffer: " + e.getMessage());
        }
    }

    /** The next record's verified payload, or null at the end of the file. */
    byte[] nextPayload() throws IOException {
        long start = offset;
        byte[] header = new byte[TfRecord.HEADER];
        int got = in.readNBytes(header, 0, header.length);
        if (got == 0) {
            return null;
        }
        if (got < header.length) {
            throw error(start, "truncated record header: " + got + " of " + TfRecord.HEADER
                    + " bytes (the file ends inside a record; a writer may still be writing it)");
        }
        int storedLengthCrc = TfRecord.getIntLe(header, 8);
        int lengthCrc = Crc32c.masked(header, 0, 8);
        if (storedLengthCrc != lengthCrc) {
            throw error(start, "length CRC mismatch (stored " + hex(storedLengthCrc) + ", computed " + hex(lengthCrc)
                    + "): the length field is corrupt");
        }
        long length = TfRecord.getLongLe(header, 0);
        long left = size - start - TfRecord.HEADER - TfRecord.FOOTER;
        if (length < 0 || length > left) {
            throw error(start, "record length " + Long.toUnsignedString(length) + " exceeds the " + Math.max(0, left)
                    + " bytes left in the " + size + "-byte file (the file is truncated or a writer is still writing it)");
        }
        byte[] payload = new byte[(int) length]; // length <= left < file size: bounded by the file
        byte[] footer = new byte[TfRecord.FOOTER];
        int p = in.readNBytes(payload, 0, payload.length);
        int f = p == payload.length ? in.readNBytes(footer, 0, footer.length) : 0;
        if (p < payload.length || f < footer.length) {
            throw error(start, "truncated record: the file ended after " + (p + f) + " of the " + (length + TfRecord.FOOTER)
                    + " bytes of payload and CRC (it changed while being read)");
        }
        int storedCrc = TfRecord.getIntLe(footer, 0);
        int crc = Crc32c.masked(payload, 0, payload.length);
        if (storedCrc != crc) {
            throw error(start, "payload CRC mismatch (stored " + hex(storedCrc) + ", computed " + hex(crc)
                    + "): the record's " + length + " bytes are corrupt");
        }
        offset = start + TfRecord.HEADER + length + TfRecord.FOOTER;
        index++;
        return payload;
    }

    private TensorBoardFormatException error(long at, String problem) {
        return new TensorBoardFormatException(source, at, "record " + index + ": " + problem);
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    /** Closes the file. */
    @Override
    public void close() throws IOException {
        in.close();
    }
}
