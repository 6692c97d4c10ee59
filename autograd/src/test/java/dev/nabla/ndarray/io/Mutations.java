package dev.nabla.ndarray.io;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Test support for the reader fuzz suites (published in the autograd test-jar): random mutations of a
 * small valid file (bit flips, byte overwrites, truncation at any offset, insertions, deletions,
 * duplicated ranges, appended junk, header numbers overwritten with huge or negative values, and
 * inserted text tokens), and the heap bytes that one read allocates on the current thread, so that a
 * suite can assert that no reader allocates from a header's claimed counts.
 * Stateless and thread-safe.
 */
public final class Mutations {
    private static final long[] HUGE = {0x7FFFFFFFL, 0xFFFFFFFFL, 0x80000000L, 0x7FFFFFF7L, 0x40000000L, 0x10000000L,
        1L << 32, Long.MAX_VALUE, -1L, Long.MIN_VALUE, 1L << 40, 0};
    private static final List<String> TOKENS = List.of("\"", ",", "\n", "\r\n", "{", "}", "[", "]", ":", "-", "1e999",
        "NaN", "-1", "2147483647", "2147483648", "9223372036854775807", "18446744073709551616", "-0", "0.5", "\u00e9",
        "\ud83d\ude00", "\\u0000", "\\ud800", "\uFEFF", " ", "\t", "null", "true");

    private Mutations() {}

    /**
     * {@code seed} with 1 to 3 random mutations drawn from {@code rngSeed}; {@code numberOffsets} are
     * the positions of header numbers (big- or little-endian) that huge values may overwrite.
     */
    public static byte[] mutate(byte[] seed, long rngSeed, int... numberOffsets) {
        Random r = new Random(rngSeed);
        byte[] b = seed.clone();
        int k = 1 + r.nextInt(3);
        for (int i = 0; i < k; i++) {
            b = once(b, r, numberOffsets);
        }
        return b;
    }

    private static byte[] once(byte[] b, Random r, int[] numberOffsets) {
        int n = b.length;
        switch (r.nextInt(10)) {
            case 0: // flip a bit
                if (n > 0) {
                    b[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            case 1: // overwrite a byte
                if (n > 0) {
                    b[r.nextInt(n)] = (byte) r.nextInt(256);
                }
                return b;
            case 2: // truncate anywhere
                return Arrays.copyOf(b, r.nextInt(n + 1));
            case 3: { // insert random bytes
                byte[] ins = new byte[1 + r.nextInt(16)];
                r.nextBytes(ins);
                return splice(b, r.nextInt(n + 1), 0, ins);
            }
            case 4: { // delete a range
                if (n == 0) {
                    return b;
                }
                int at = r.nextInt(n);
                return splice(b, at, 1 + r.nextInt(Math.min(16, n - at)), new byte[0]);
            }
            case 5: { // duplicate a range
                if (n == 0) {
                    return b;
                }
                int at = r.nextInt(n);
                int len = 1 + r.nextInt(Math.min(32, n - at));
                return splice(b, at, 0, Arrays.copyOfRange(b, at, at + len));
            }
            case 6: { // append junk
                byte[] junk = new byte[1 + r.nextInt(8)];
                r.nextBytes(junk);
                return splice(b, n, 0, junk);
            }
            case 7: { // a text token
                byte[] t = TOKENS.get(r.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8);
                int at = r.nextInt(n + 1);
                return r.nextBoolean() ? splice(b, at, 0, t) : splice(b, at, Math.min(t.length, n - at), t);
            }
            default: { // a header number overwritten with a huge or negative value
                int width = r.nextBoolean() ? 4 : 8;
                int at = numberOffsets.length > 0 && r.nextInt(4) != 0
                        ? numberOffsets[r.nextInt(numberOffsets.length)] : (n > 0 ? r.nextInt(n) : 0);
                long v = r.nextInt(3) == 0 ? r.nextLong() : HUGE[r.nextInt(HUGE.length)];
                boolean little = r.nextBoolean();
                byte[] out = b.clone();
                for (int i = 0; i < width && at + i < n; i++) {
                    int shift = 8 * (little ? i : width - 1 - i);
                    out[at + i] = (byte) (v >>> shift);
                }
                return out;
            }
        }
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] ins) {
        byte[] out = new byte[b.length - remove + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at + remove, out, at + ins.length, b.length - at - remove);
        return out;
    }

    /** Heap bytes the current thread has allocated so far (HotSpot's per-thread counter). */
    public static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** The allowance of one read of a file of {@code bytes} bytes: 64 x its size plus 1 MiB. */
    public static long allowance(long bytes) {
        return 64 * bytes + (1 << 20);
    }
}
