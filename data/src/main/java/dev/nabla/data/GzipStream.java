package dev.nabla.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A strict gzip decoder (RFC 1952) for data files. Unlike {@link java.util.zip.GZIPInputStream},
 * which silently ignores bytes after the last member that do not form a gzip header, it accepts
 * only a sequence of complete members: each member's header is checked (magic, method, reserved
 * flags, optional fields), its trailer must match (CRC-32 and length of the decompressed data), and
 * anything after the last member is refused. Every defect is a {@link MalformedDataException}
 * naming the file and the compressed byte offset; a stream cut short is reported as truncated.
 * Allocates only fixed-size buffers: what it returns is what the file really inflates to.
 * Not thread-safe (a stream).
 */
final class GzipStream extends InputStream {
    private static final int FTEXT = 1;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final String source;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[1 << 16];
    private final byte[] one = new byte[1];
    /** Valid compressed bytes are {@code buf[pos, lim)}. */
    private int pos;
    private int lim;
    /** Compressed bytes consumed before {@code buf[0]}, for messages. */
    private long consumedBefore;
    private long memberOut;
    private int members;
    private boolean eof;
    private boolean closed;

    /** Starts decoding {@code in}, which must begin with a gzip header (its first member's is read now). */
    GzipStream(InputStream in, String source) throws IOException {
        this.in = in;
        this.source = source;
        readHeader();
    }

    private long offset() {
        return consumedBefore + pos;
    }

    private MalformedDataException corrupt(String problem) {
        return new MalformedDataException(source, "corrupt gzip data: " + problem + " (at compressed byte " + offset()
                + "; the file is damaged, re-download or re-compress it)");
    }

    private MalformedDataException truncated(String where) {
        return new MalformedDataException(source, "truncated compressed data: the file ends " + where + " after "
                + offset() + " compressed bytes (an interrupted download or copy?)");
    }

    /** Refills the buffer; false at the end of the underlying stream. */
    private boolean fill() throws IOException {
        if (pos < lim) {
            return true;
        }
        consumedBefore += lim;
        pos = 0;
        lim = 0;
        int r = in.read(buf, 0, buf.length);
        if (r <= 0) {
            // InputStream contract: 0 only for a zero-length request; treat as the end
            return false;
        }
        lim = r;
        return true;
    }

    private int byteOrEnd(String where) throws IOException {
        if (!fill()) {
            throw truncated(where);
        }
        return buf[pos++] & 0xFF;
    }

    private int u16(String where) throws IOException {
        return byteOrEnd(where) | byteOrEnd(where) << 8;
    }

    private long u32(String where) throws IOException {
        return (u16(where) | (long) u16(where) << 16) & 0xFFFFFFFFL;
    }

    private void readHeader() throws IOException {
        String where = "inside the gzip header of member " + (members + 1);
        int id1 = byteOrEnd(where);
        int id2 = byteOrEnd(where);
        if (id1 != 0x1f || id2 != 0x8b) {
            throw corrupt(String.format("expected the gzip magic bytes 1f 8b but found %02x %02x", id1, id2));
        }
        int method = byteOrEnd(where);
        if (method != 8) {
            throw corrupt("compression method " + method + " is not deflate (8)");
        }
        int flags = byteOrEnd(where);
        if ((flags & ~(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT)) != 0) {
            throw corrupt(String.format("reserved header flag bits are set (flags 0x%02x)", flags));
        }
        for (int i = 0; i < 6; i++) {
            byteOrEnd(where); // MTIME, XFL, OS
        }
        if ((flags & FEXTRA) != 0) {
            int xlen = u16(where);
            for (int i = 0; i < xlen; i++) {
                byteOrEnd(where);
            }
        }
        if ((flags & FNAME) != 0) {
            while (byteOrEnd(where) != 0) {
                // skip the zero-terminated file name
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (byteOrEnd(where) != 0) {
                // skip the zero-terminated comment
            }
        }
        if ((flags & FHCRC) != 0) {
            u16(where); // header CRC16: optional, not checked (as gzip(1))
        }
        inflater.reset();
        crc.reset();
        memberOut = 0;
        members++;
    }

    @Override
    public int read() throws IOException {
        int r = read(one, 0, 1);
        return r < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("read after close: " + source);
        }
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (!eof) {
            if (inflater.finished()) {
                finishMember();
                continue;
            }
            if (inflater.needsInput()) {
                if (!fill()) {
                    throw truncated("inside the compressed data of member " + members);
                }
                inflater.setInput(buf, pos, lim - pos);
                pos = lim; // the inflater holds them; unused ones are given back in finishMember
            }
            int n;
            int before = inflater.getRemaining();
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                pos = lim - inflater.getRemaining();
                throw corrupt("invalid deflate data in member " + members + " (" + e.getMessage() + ")");
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberOut += n;
                return n;
            }
            if (inflater.needsDictionary()) {
                throw corrupt("the deflate data asks for a preset dictionary, which gzip does not allow");
            }
            if (!inflater.finished() && !inflater.needsInput() && inflater.getRemaining() == before) {
                pos = lim - inflater.getRemaining();
                throw corrupt("the deflate data of member " + members + " makes no progress");
            }
        }
        return -1;
    }

    /** Checks the trailer of the member just inflated; then the file ends or another member follows. */
    private void finishMember() throws IOException {
        pos = lim - inflater.getRemaining();
        String where = "inside the 8-byte gzip trailer (CRC-32 and length) of member " + members;
        long storedCrc = u32(where);
        long storedSize = u32(where);
        if (storedCrc != crc.getValue()) {
            throw corrupt(String.format("the CRC-32 of member %d's decompressed data is %08x but its trailer says %08x",
                    members, crc.getValue(), storedCrc));
        }
        if (storedSize != (memberOut & 0xFFFFFFFFL)) {
            throw corrupt("member " + members + " decompressed to " + memberOut + " bytes but its trailer says "
                    + storedSize + " (mod 2^32)");
        }
        if (!fill()) {
            eof = true;
            return;
        }
        if ((buf[pos] & 0xFF) != 0x1f) {
            throw corrupt("bytes follow the end of gzip member " + members
                    + " and are not another gzip member (trailing junk)");
        }
        readHeader();
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            inflater.end();
            in.close();
        }
    }
}
