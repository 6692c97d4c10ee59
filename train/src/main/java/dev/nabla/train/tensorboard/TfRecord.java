package dev.nabla.train.tensorboard;

/**
 * TFRecord framing, the container of event files: a little-endian u64 payload length, the masked
 * CRC-32C of those 8 bytes (u32 LE), the payload, and the masked CRC-32C of the payload (u32 LE).
 * Stateless and thread-safe.
 */
final class TfRecord {
    /** Bytes before the payload: the length and its CRC. */
    static final int HEADER = 12;
    /** Bytes after the payload: its CRC. */
    static final int FOOTER = 4;

    private TfRecord() {}

    /** {@code payload} framed as one record. */
    static byte[] frame(byte[] payload) {
        byte[] out = new byte[HEADER + payload.length + FOOTER];
        long n = payload.length;
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (n >>> (8 * i));
        }
        putIntLe(out, 8, Crc32c.masked(out, 0, 8));
        System.arraycopy(payload, 0, out, HEADER, payload.length);
        putIntLe(out, HEADER + payload.length, Crc32c.masked(payload, 0, payload.length));
        return out;
    }

    static void putIntLe(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    static int getIntLe(byte[] b, int at) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (b[at + i] & 0xFF) << (8 * i);
        }
        return v;
    }

    static long getLongLe(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (b[at + i] & 0xFF) << (8 * i);
        }
        return v;
    }
}
