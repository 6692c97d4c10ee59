package dev.nabla.train.tensorboard;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal protocol-buffer wire encoder (proto3): varints, fixed 64- and 32-bit values and
 * length-delimited fields, appended to a growable byte array. The {@code put*} methods follow
 * proto3's implicit presence and skip a field equal to its default (0, +0.0, empty), as protobuf's
 * own serializers do; the {@code put*Explicit} variants always write, for members of a
 * {@code oneof} (a {@code simple_value} of 0 must still be written). Fields are written in the order
 * of the calls; callers write them in field-number order, as protobuf does.
 * Not thread-safe: one writer builds one message on one thread.
 */
final class ProtoWriter {
    static final int VARINT = 0;
    static final int I64 = 1;
    static final int LEN = 2;
    static final int I32 = 5;

    /** Largest message this encoder builds: protobuf's own limit is 2 GiB. */
    static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private byte[] buf = new byte[32];
    private int size;

    /** The bytes written so far. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** How many bytes have been written. */
    int size() {
        return size;
    }

    private void ensure(int extra) {
        long need = (long) size + extra;
        if (need > MAX_SIZE) {
            throw new IllegalArgumentException("protobuf encoding: a message of " + need
                    + " bytes exceeds protobuf's 2 GiB limit; log smaller values (fewer histogram buckets, a smaller image)");
        }
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(MAX_SIZE, Math.max(need, 2L * buf.length)));
        }
    }

    private void raw(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** A field key: {@code (field << 3) | wireType}. */
    void tag(int field, int wireType) {
        if (field < 1 || field > (1 << 29) - 1) {
            throw new IllegalArgumentException("protobuf encoding: field number " + field + " is outside 1.." + ((1 << 29) - 1));
        }
        writeVarint(((long) field << 3) | wireType);
    }

    /** An unsigned base-128 varint of all 64 bits of {@code v} (a negative int64 takes 10 bytes). */
    void writeVarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** Eight little-endian bytes. */
    void writeFixed64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    /** Four little-endian bytes. */
    void writeFixed32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    /** A varint field (int32, int64, enum, bool), skipped when 0. Negative int32 values are sign-extended, as protobuf does. */
    void putVarint(int field, long v) {
        if (v != 0) {
            putVarintExplicit(field, v);
        }
    }

    /** A varint field, always written. */
    void putVarintExplicit(int field, long v) {
        tag(field, VARINT);
        writeVarint(v);
    }

    /** A double field, skipped when its bits are those of +0.0 (so -0.0 is written, as protobuf does). */
    void putDouble(int field, double v) {
        if (Double.doubleToRawLongBits(v) != 0) {
            putDoubleExplicit(field, v);
        }
    }

    /** A double field, always written. */
    void putDoubleExplicit(int field, double v) {
        tag(field, I64);
        writeFixed64(Double.doubleToRawLongBits(v));
    }

    /** A float field, skipped when its bits are those of +0.0f. */
    void putFloat(int field, float v) {
        if (Float.floatToRawIntBits(v) != 0) {
            putFloatExplicit(field, v);
        }
    }

    /** A float field, always written. */
    void putFloatExplicit(int field, float v) {
        tag(field, I32);
        writeFixed32(Float.floatToRawIntBits(v));
    }

    /** A length-delimited bytes field, skipped when empty. */
    void putBytes(int field, byte[] b) {
        if (b.length > 0) {
            putBytesExplicit(field, b);
        }
    }

    /** A length-delimited bytes field, always written (repeated elements, oneof members). */
    void putBytesExplicit(int field, byte[] b) {
        tag(field, LEN);
        writeVarint(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** A UTF-8 string field, skipped when empty. */
    void putString(int field, String s) {
        putBytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    /** A UTF-8 string field, always written. */
    void putStringExplicit(int field, String s) {
        putBytesExplicit(field, s.getBytes(StandardCharsets.UTF_8));
    }

    /** An embedded message, always written (a set message field is present even when empty). */
    void putMessage(int field, ProtoWriter m) {
        tag(field, LEN);
        writeVarint(m.size);
        ensure(m.size);
        System.arraycopy(m.buf, 0, buf, size, m.size);
        size += m.size;
    }

    /** A packed repeated double field (one length-delimited run of 8-byte values), skipped when empty. */
    void putPackedDoubles(int field, double[] v) {
        if (v.length == 0) {
            return;
        }
        if (v.length > MAX_SIZE / 8) {
            throw new IllegalArgumentException("protobuf encoding: " + v.length + " doubles exceed protobuf's 2 GiB limit");
        }
        tag(field, LEN);
        writeVarint(8L * v.length);
        ensure(8 * v.length);
        for (double d : v) {
            writeFixed64(Double.doubleToRawLongBits(d));
        }
    }

    /** A packed repeated float field, skipped when empty. */
    void putPackedFloats(int field, float[] v) {
        if (v.length == 0) {
            return;
        }
        if (v.length > MAX_SIZE / 4) {
            throw new IllegalArgumentException("protobuf encoding: " + v.length + " floats exceed protobuf's 2 GiB limit");
        }
        tag(field, LEN);
        writeVarint(4L * v.length);
        ensure(4 * v.length);
        for (float f : v) {
            writeFixed32(Float.floatToRawIntBits(f));
        }
    }
}
