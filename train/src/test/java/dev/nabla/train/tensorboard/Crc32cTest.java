package dev.nabla.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** CRC-32C against RFC 3720 B.4's vectors and the check value, and the TFRecord mask. */
class Crc32cTest {
    @Test
    void rfc3720Vectors() {
        byte[] zeros = new byte[32];
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xFF);
        byte[] up = new byte[32];
        byte[] down = new byte[32];
        for (int i = 0; i < 32; i++) {
            up[i] = (byte) i;
            down[i] = (byte) (31 - i);
        }
        assertEquals(0x8A9136AA, Crc32c.of(zeros));
        assertEquals(0x62A8AB43, Crc32c.of(ones));
        assertEquals(0x46DD794E, Crc32c.of(up));
        assertEquals(0x113FDB5C, Crc32c.of(down));
        assertEquals(0xE3069283, Crc32c.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void offsetAndLengthSelectTheRange() {
        byte[] b = "xx123456789yy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, Crc32c.of(b, 2, 9));
    }

    @Test
    void maskIsTensorFlowsFormula() {
        // mask(crc) = ((crc >>> 15) | (crc << 17)) + 0xa282ead8, worked by hand for two values
        assertEquals(0xa282ead8, Crc32c.mask(0));
        // 0xE3069283: >>>15 = 0x0001C60D, <<17 = 0x25060000 -> 0x2507C60D; + 0xa282ead8 = 0xC78AB0E5
        assertEquals(0xC78AB0E5, Crc32c.mask(0xE3069283));
    }

    @Test
    void maskedLengthCrcOfTheReferenceFile() {
        // the first record of the PyTorch-written reference: length 72 (8 bytes LE), masked CRC fe92489d (LE)
        byte[] len = {72, 0, 0, 0, 0, 0, 0, 0};
        assertEquals(0x9d4892fe, Crc32c.masked(len, 0, 8));
    }

    @Property(tries = 200)
    void unmaskInvertsMask(@ForAll int crc) {
        assertEquals(crc, Crc32c.unmask(Crc32c.mask(crc)));
    }
}
