package dev.nabla.train.tensorboard;

import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli, reflected polynomial {@code 0x82F63B78}) and the TFRecord mask that
 * TensorFlow applies to it, so that a CRC stored next to the data it covers does not checksum to a
 * fixed value. The CRC itself is the JDK's {@link CRC32C} (hardware-accelerated on x86 and ARM);
 * the mask is TensorFlow's {@code crc32c::Mask}: rotate right by 15 bits, add {@code 0xa282ead8}.
 * Stateless and thread-safe.
 */
final class Crc32c {
    private static final int MASK_DELTA = 0xa282ead8;

    private Crc32c() {}

    /** The CRC-32C of {@code len} bytes of {@code b} from {@code off}. */
    static int of(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    /** The CRC-32C of all of {@code b}. */
    static int of(byte[] b) {
        return of(b, 0, b.length);
    }

    /** TensorFlow's masked form of {@code crc}: {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}. */
    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    /** The inverse of {@link #mask}. */
    static int unmask(int masked) {
        int rot = masked - MASK_DELTA;
        return (rot >>> 17) | (rot << 15);
    }

    /** The masked CRC-32C of {@code len} bytes of {@code b} from {@code off}, as stored in a TFRecord. */
    static int masked(byte[] b, int off, int len) {
        return mask(of(b, off, len));
    }
}
