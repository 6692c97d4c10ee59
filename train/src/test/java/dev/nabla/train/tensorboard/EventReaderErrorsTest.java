package dev.nabla.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of corruption gives a {@link TensorBoardFormatException} that names the file, the offset and the problem. */
class EventReaderErrorsTest {
    @TempDir
    Path dir;

    private static byte[] reference() throws IOException {
        return Files.readAllBytes(ReferenceFileTest.reference());
    }

    private TensorBoardFormatException fails(byte[] file) throws IOException {
        Path p = Files.write(dir.resolve("bad.tfevents"), file);
        TensorBoardFormatException e = assertThrows(TensorBoardFormatException.class, () -> EventReader.readAll(p));
        assertEquals(p.toString(), e.source());
        assertTrue(e.getMessage().startsWith(p + ": offset " + e.offset() + ": "), e.getMessage());
        return e;
    }

    @Test
    void corruptLengthCrc() throws IOException {
        byte[] b = reference();
        b[88 + 9] ^= 1; // record 1's length CRC
        TensorBoardFormatException e = fails(b);
        assertEquals(88, e.offset());
        assertTrue(e.getMessage().contains("record 1: length CRC mismatch"), e.getMessage());
    }

    @Test
    void corruptLengthWithItsCrcRecomputedIsBoundedByTheFile() throws IOException {
        byte[] b = reference();
        long huge = 1L << 40;
        for (int i = 0; i < 8; i++) {
            b[88 + i] = (byte) (huge >>> (8 * i));
        }
        TfRecord.putIntLe(b, 88 + 8, Crc32c.masked(b, 88, 8));
        TensorBoardFormatException e = fails(b);
        assertEquals(88, e.offset());
        assertTrue(e.getMessage().contains("record length 1099511627776 exceeds the 9990 bytes left in the 10094-byte file"),
                e.getMessage());
    }

    @Test
    void corruptPayload() throws IOException {
        byte[] b = reference();
        b[88 + 12 + 5] ^= 0x40; // inside record 1's payload
        TensorBoardFormatException e = fails(b);
        assertEquals(88, e.offset());
        assertTrue(e.getMessage().contains("record 1: payload CRC mismatch"), e.getMessage());
    }

    @Test
    void truncatedHeaderAndPayload() throws IOException {
        byte[] b = reference();
        TensorBoardFormatException e = fails(Arrays.copyOf(b, 88 + 5));
        assertEquals(88, e.offset());
        assertTrue(e.getMessage().contains("truncated record header: 5 of 12 bytes"), e.getMessage());
        e = fails(Arrays.copyOf(b, 88 + 20));
        assertEquals(88, e.offset());
        assertTrue(e.getMessage().contains("record length 30 exceeds the 4 bytes left"), e.getMessage());
    }

    @Test
    void malformedProtocolBufferWithValidCrcs() throws IOException {
        // an Event whose summary (field 5) claims 100 bytes but holds 2
        byte[] payload = {0x2a, 100, 0x0a, 0x00};
        byte[] file = TfRecord.frame(payload);
        TensorBoardFormatException e = fails(file);
        assertEquals(12 + 1, e.offset()); // the length varint, after the 12-byte header and the key
        assertTrue(e.getMessage().contains("record 0: malformed Event protocol buffer: length-delimited field claims 100 bytes"),
                e.getMessage());
    }

    @Test
    void emptyFileHasNoEvents() throws IOException {
        Path p = Files.write(dir.resolve("empty.tfevents"), new byte[0]);
        assertTrue(EventReader.readAll(p).isEmpty());
    }
}
