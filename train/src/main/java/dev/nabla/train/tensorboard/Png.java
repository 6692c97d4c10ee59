package dev.nabla.train.tensorboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A minimal PNG encoder (8-bit grayscale, RGB or RGBA, no interlace, filter type 0 on every row,
 * zlib-compressed by the JDK's {@link Deflater}) for TensorBoard image summaries, so that the
 * library needs neither {@code java.desktop} (ImageIO) nor a dependency. Stateless and thread-safe.
 */
final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Png() {}

    /** The PNG colour type for {@code channels}: 0 gray, 2 RGB, 6 RGBA. */
    static int colorType(int channels) {
        switch (channels) {
            case 1:
                return 0;
            case 3:
                return 2;
            case 4:
                return 6;
            default:
                throw new IllegalArgumentException("PNG: " + channels + " channels; use 1 (gray), 3 (RGB) or 4 (RGBA)");
        }
    }

    /** Encodes {@code pixels}, row-major height-width-channel bytes, as a PNG. */
    static byte[] encode(int height, int width, int channels, byte[] pixels) {
        int colorType = colorType(channels);
        long rowBytes = (long) width * channels;
        if ((long) height * (rowBytes + 1) > Integer.MAX_VALUE - 64 || pixels.length != height * rowBytes) {
            throw new IllegalArgumentException("PNG: " + height + "x" + width + "x" + channels + " does not match "
                    + pixels.length + " bytes, or is larger than 2 GiB");
        }
        byte[] raw = new byte[(int) (height * (rowBytes + 1))];
        for (int y = 0; y < height; y++) {
            // filter byte 0 (none), then the row
            System.arraycopy(pixels, (int) (y * rowBytes), raw, (int) (y * (rowBytes + 1) + 1), (int) rowBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = (byte) colorType;
        // compression 0, filter 0, interlace 0
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", deflate(raw));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
            byte[] buf = new byte[1 << 16];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] len = new byte[4];
        putInt(len, 0, data.length);
        out.writeBytes(len);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
