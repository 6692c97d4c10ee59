package dev.nabla.train.tensorboard;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal protocol-buffer wire decoder over a region of a byte array: field keys, varints (at most
 * ten bytes), fixed 64- and 32-bit values, length-delimited fields (a length is checked against the
 * bytes left in the region before anything is allocated, so a corrupt length can never cause a huge
 * allocation) and skipping of unknown fields. Group wire types (3, 4), which no event-file message
 * uses, are errors. Every failure is a {@link ProtoException} with the offset in the array.
 * Not thread-safe: one reader walks one message on one thread.
 */
final class ProtoReader {
    private final byte[] buf;
    private int pos;
    private final int limit;

    /** A reader of {@code len} bytes of {@code buf} from {@code off}. */
    ProtoReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.limit = off + len;
    }

    /** A reader of all of {@code buf}. */
    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /** Whether any bytes are left in this region. */
    boolean hasMore() {
        return pos < limit;
    }

    /** The current offset in the array. */
    int position() {
        return pos;
    }

    /** The next field key; its field number is {@code key >>> 3} and its wire type {@code key & 7}. */
    int readKey() throws ProtoException {
        int at = pos;
        long key = readVarint();
        long field = key >>> 3;
        int wire = (int) (key & 7);
        if (field < 1 || field > (1 << 29) - 1) {
            throw new ProtoException(at, "field key " + key + " has field number " + field + " (valid: 1.." + ((1 << 29) - 1) + ")");
        }
        if (wire != ProtoWriter.VARINT && wire != ProtoWriter.I64 && wire != ProtoWriter.LEN && wire != ProtoWriter.I32) {
            throw new ProtoException(at, "field " + field + " has wire type " + wire
                    + " (event files use only 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32)");
        }
        return (int) key;
    }

    /** A base-128 varint of at most 10 bytes. */
    long readVarint() throws ProtoException {
        int at = pos;
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw new ProtoException(at, "varint runs past the end of its message (" + (limit - at) + " bytes left)");
            }
            int b = buf[pos++] & 0xFF;
            if (shift == 63 && b > 1) {
                throw new ProtoException(at, "varint longer than 64 bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if (b < 0x80) {
                return v;
            }
        }
        throw new ProtoException(at, "varint longer than 10 bytes");
    }

    /** Eight little-endian bytes. */
    long readFixed64() throws ProtoException {
        need(8, "fixed64");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (buf[pos++] & 0xFF) << (8 * i);
        }
        return v;
    }

    /** Four little-endian bytes. */
    int readFixed32() throws ProtoException {
        need(4, "fixed32");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (buf[pos++] & 0xFF) << (8 * i);
        }
        return v;
    }

    double readDouble() throws ProtoException {
        return Double.longBitsToDouble(readFixed64());
    }

    float readFloat() throws ProtoException {
        return Float.intBitsToFloat(readFixed32());
    }

    private void need(int n, String what) throws ProtoException {
        if (limit - pos < n) {
            throw new ProtoException(pos, what + " needs " + n + " bytes but its message has " + (limit - pos) + " left");
        }
    }

    /** The length of a length-delimited field, checked against the bytes left. */
    private int readLength() throws ProtoException {
        int at = pos;
        long n = readVarint();
        if (n < 0 || n > limit - pos) {
            throw new ProtoException(at, "length-delimited field claims " + Long.toUnsignedString(n)
                    + " bytes but its message has " + (limit - pos) + " left");
        }
        return (int) n;
    }

    /** A length-delimited field as a reader of its own bytes (an embedded message). */
    ProtoReader readMessage() throws ProtoException {
        int n = readLength();
        ProtoReader sub = new ProtoReader(buf, pos, n);
        pos += n;
        return sub;
    }

    /** A length-delimited field's bytes. */
    byte[] readBytes() throws ProtoException {
        int n = readLength();
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    /** A length-delimited field as strict UTF-8 (proto3 requires strings to be valid UTF-8). */
    String readString() throws ProtoException {
        int at = pos;
        int n = readLength();
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new ProtoException(at, "string field of " + n + " bytes is not valid UTF-8");
        }
    }

    /**
     * A packed run of doubles (wire type 2) or one unpacked double (wire type 1), appended to
     * {@code out}: parsers must accept both encodings of a repeated scalar field.
     */
    void readDoubles(int wireType, DoubleList out) throws ProtoException {
        if (wireType == ProtoWriter.I64) {
            out.add(readDouble());
            return;
        }
        int at = pos;
        int n = readLength();
        if (n % 8 != 0) {
            throw new ProtoException(at, "packed double field of " + n + " bytes is not a multiple of 8");
        }
        int end = pos + n;
        while (pos < end) {
            out.add(readDouble());
        }
    }

    /** A packed run of floats (wire type 2) or one unpacked float (wire type 5), appended to {@code out}. */
    void readFloats(int wireType, DoubleList out) throws ProtoException {
        if (wireType == ProtoWriter.I32) {
            out.add(readFloat());
            return;
        }
        int at = pos;
        int n = readLength();
        if (n % 4 != 0) {
            throw new ProtoException(at, "packed float field of " + n + " bytes is not a multiple of 4");
        }
        int end = pos + n;
        while (pos < end) {
            out.add(readFloat());
        }
    }

    /** Skips a field's value of wire type {@code wireType} (the key already read). */
    void skip(int wireType) throws ProtoException {
        switch (wireType) {
            case ProtoWriter.VARINT:
                readVarint();
                break;
            case ProtoWriter.I64:
                need(8, "fixed64");
                pos += 8;
                break;
            case ProtoWriter.I32:
                need(4, "fixed32");
                pos += 4;
                break;
            case ProtoWriter.LEN: {
                int n = readLength(); // not "pos += readLength()": that would add to the old pos
                pos += n;
                break;
            }
            default:
                throw new ProtoException(pos, "cannot skip wire type " + wireType);
        }
    }
}
