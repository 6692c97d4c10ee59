package dev.nabla.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The hand-written protobuf wire encoder and decoder: known encodings from the protobuf docs, round trips, and errors. */
class ProtoWireTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void varintKnownEncodings() {
        // protobuf encoding guide: 1 -> 01, 150 -> 96 01, 300 -> ac 02; -1 as int64 -> ten bytes
        ProtoWriter w = new ProtoWriter();
        w.writeVarint(1);
        w.writeVarint(150);
        w.writeVarint(300);
        w.writeVarint(-1);
        assertArrayEquals(bytes(0x01, 0x96, 0x01, 0xac, 0x02,
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), w.toByteArray());
    }

    @Test
    void fieldKnownEncodings() {
        // message Test1 { int32 a = 1; } with a = 150 -> 08 96 01 (the encoding guide's example)
        ProtoWriter w = new ProtoWriter();
        w.putVarint(1, 150);
        assertArrayEquals(bytes(0x08, 0x96, 0x01), w.toByteArray());
        // string b = 2 "testing" -> 12 07 74 65 73 74 69 6e 67
        w = new ProtoWriter();
        w.putString(2, "testing");
        assertArrayEquals(bytes(0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67), w.toByteArray());
        // float 1.0 in field 2 -> 15 00 00 80 3f (as in the reference file's scalars)
        w = new ProtoWriter();
        w.putFloat(2, 1.0f);
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3f), w.toByteArray());
        // double 1.0 in field 1 -> 09 00 00 00 00 00 00 f0 3f
        w = new ProtoWriter();
        w.putDouble(1, 1.0);
        assertArrayEquals(bytes(0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f), w.toByteArray());
    }

    @Test
    void proto3DefaultsAreSkippedUnlessExplicit() {
        ProtoWriter w = new ProtoWriter();
        w.putVarint(2, 0);
        w.putDouble(1, 0.0);
        w.putFloat(2, 0.0f);
        w.putString(3, "");
        w.putBytes(4, new byte[0]);
        w.putPackedDoubles(6, new double[0]);
        assertEquals(0, w.size());
        w.putFloatExplicit(2, 0.0f);
        assertArrayEquals(bytes(0x15, 0, 0, 0, 0), w.toByteArray());
        ProtoWriter neg = new ProtoWriter();
        neg.putDouble(1, -0.0); // -0.0 is not the default bit pattern: written, as protobuf does
        assertEquals(9, neg.size());
    }

    @Test
    void packedDoublesAndNestedMessages() throws ProtoException {
        ProtoWriter inner = new ProtoWriter();
        inner.putPackedDoubles(6, new double[] {1.5, -2.0});
        ProtoWriter outer = new ProtoWriter();
        outer.putMessage(5, inner);
        byte[] b = outer.toByteArray();
        assertEquals(2 + 2 + 16, b.length);
        assertEquals(0x2a, b[0] & 0xFF); // field 5, wire type 2
        assertEquals(18, b[1]);
        assertEquals(0x32, b[2] & 0xFF); // field 6, wire type 2
        assertEquals(16, b[3]);
        ProtoReader r = new ProtoReader(b);
        int key = r.readKey();
        assertEquals(5, key >>> 3);
        ProtoReader m = r.readMessage();
        assertFalse(r.hasMore());
        int k2 = m.readKey();
        DoubleList out = new DoubleList();
        m.readDoubles(k2 & 7, out);
        assertArrayEquals(new double[] {1.5, -2.0}, out.toArray());
    }

    @Test
    void unpackedRepeatedDoublesAreAccepted() throws ProtoException {
        ProtoWriter w = new ProtoWriter();
        w.putDoubleExplicit(6, 3.0);
        w.putDoubleExplicit(6, 4.0);
        ProtoReader r = new ProtoReader(w.toByteArray());
        DoubleList out = new DoubleList();
        while (r.hasMore()) {
            int k = r.readKey();
            r.readDoubles(k & 7, out);
        }
        assertArrayEquals(new double[] {3.0, 4.0}, out.toArray());
    }

    @Property(tries = 500)
    void varintRoundTrip(@ForAll long v) throws ProtoException {
        ProtoWriter w = new ProtoWriter();
        w.writeVarint(v);
        byte[] b = w.toByteArray();
        int expectedLength = v == 0 ? 1 : (64 - Long.numberOfLeadingZeros(v) + 6) / 7;
        assertEquals(expectedLength, b.length);
        ProtoReader r = new ProtoReader(b);
        assertEquals(v, r.readVarint());
        assertFalse(r.hasMore());
    }

    @Property(tries = 300)
    void fixedRoundTrip(@ForAll double d, @ForAll float f, @ForAll String s) throws ProtoException {
        ProtoWriter w = new ProtoWriter();
        w.putDoubleExplicit(1, d);
        w.putFloatExplicit(2, f);
        w.putStringExplicit(3, s);
        ProtoReader r = new ProtoReader(w.toByteArray());
        assertEquals(1 << 3 | ProtoWriter.I64, r.readKey());
        assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(r.readDouble()));
        assertEquals(2 << 3 | ProtoWriter.I32, r.readKey());
        assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(r.readFloat()));
        assertEquals(3 << 3 | ProtoWriter.LEN, r.readKey());
        // jqwik strings may hold lone surrogates, which UTF-8 encodes as '?'
        String expected = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertEquals(expected, r.readString());
        assertFalse(r.hasMore());
    }

    @Test
    void skipEveryWireType() throws ProtoException {
        ProtoWriter w = new ProtoWriter();
        w.putVarint(1, 1L << 40);
        w.putDouble(2, 2.0);
        w.putBytes(3, new byte[] {1, 2, 3});
        w.putFloat(4, 4f);
        w.putVarint(9, 7);
        ProtoReader r = new ProtoReader(w.toByteArray());
        for (int i = 0; i < 4; i++) {
            r.skip(r.readKey() & 7);
        }
        assertEquals(9 << 3, r.readKey());
        assertEquals(7, r.readVarint());
        assertFalse(r.hasMore());
    }

    @Test
    void errorsNameTheOffset() {
        // a length larger than what is left: refused before allocating
        ProtoException e = assertThrows(ProtoException.class,
                () -> new ProtoReader(bytes(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2)).readBytes());
        e = assertThrows(ProtoException.class, () -> {
            ProtoReader r = new ProtoReader(bytes(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2));
            r.readKey();
            r.readBytes();
        });
        assertEquals(1, e.offset());
        assertTrue(e.getMessage().contains("claims 4294967295 bytes but its message has 2 left"), e.getMessage());
        // an 11-byte varint
        e = assertThrows(ProtoException.class, () -> new ProtoReader(bytes(0xff, 0xff, 0xff, 0xff, 0xff,
                0xff, 0xff, 0xff, 0xff, 0xff, 0x01)).readVarint());
        assertTrue(e.getMessage().contains("varint longer than 64 bits"), e.getMessage());
        // truncated varint and fixed
        e = assertThrows(ProtoException.class, () -> new ProtoReader(bytes(0x96)).readVarint());
        assertTrue(e.getMessage().contains("past the end"), e.getMessage());
        e = assertThrows(ProtoException.class, () -> new ProtoReader(bytes(1, 2, 3)).readFixed32());
        assertTrue(e.getMessage().contains("fixed32 needs 4 bytes but its message has 3 left"), e.getMessage());
        // field 0, group wire types
        e = assertThrows(ProtoException.class, () -> new ProtoReader(bytes(0x00)).readKey());
        assertTrue(e.getMessage().contains("field number 0"), e.getMessage());
        e = assertThrows(ProtoException.class, () -> new ProtoReader(bytes(0x0b)).readKey());
        assertTrue(e.getMessage().contains("wire type 3"), e.getMessage());
        // invalid UTF-8
        e = assertThrows(ProtoException.class, () -> new ProtoReader(bytes(0x02, 0xc3, 0x28)).readString());
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        // packed doubles with a length that is not a multiple of 8
        e = assertThrows(ProtoException.class,
                () -> new ProtoReader(bytes(0x03, 1, 2, 3)).readDoubles(ProtoWriter.LEN, new DoubleList()));
        assertTrue(e.getMessage().contains("not a multiple of 8"), e.getMessage());
    }

    @Test
    void encoderRefusesInvalidFieldNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().putVarint(0, 1));
        assertTrue(e.getMessage().contains("field number 0"), e.getMessage());
    }
}
