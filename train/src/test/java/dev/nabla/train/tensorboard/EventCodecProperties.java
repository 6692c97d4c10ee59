package dev.nabla.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Encoding then decoding any Event gives it back (every payload kind, extreme numbers, -0.0, NaN,
 * empty and non-ASCII strings), and so does a re-encoding of the decoded bytes (the encoding is
 * canonical).
 */
class EventCodecProperties {
    private static final double[] SPECIAL = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, Double.MAX_VALUE, 1.0};
    private static final String[] TAGS = {"", "a", "train/loss", "\u00e9t\u00e9/\u4e2d\u6587", "x\ud83d\ude00"};

    static double number(Random r) {
        return r.nextInt(4) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
    }

    static double[] numbers(Random r, int max) {
        double[] d = new double[r.nextInt(max + 1)];
        for (int i = 0; i < d.length; i++) {
            d[i] = number(r);
        }
        return d;
    }

    static Payload payload(Random r) {
        switch (r.nextInt(5)) {
            case 0:
                return new Payload.Scalar((float) number(r));
            case 1:
                return new Payload.Histogram(number(r), number(r), number(r), number(r), number(r), numbers(r, 20), numbers(r, 20));
            case 2: {
                byte[] png = new byte[r.nextInt(50)];
                r.nextBytes(png);
                return new Payload.Image(r.nextInt(), r.nextInt(4000), r.nextInt(5), png);
            }
            case 3: {
                long[] shape = new long[r.nextInt(4)];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = r.nextBoolean() ? r.nextInt(10) : r.nextLong();
                }
                List<byte[]> strings = new ArrayList<>();
                for (int i = r.nextInt(3); i > 0; i--) {
                    byte[] b = new byte[r.nextInt(10)];
                    r.nextBytes(b);
                    strings.add(b);
                }
                double[] f = numbers(r, 5);
                float[] floats = new float[f.length];
                for (int i = 0; i < f.length; i++) {
                    floats[i] = (float) f[i];
                }
                return new Payload.Tensor(r.nextInt(30), shape, strings, floats, numbers(r, 5));
            }
            default:
                return new Payload.Empty();
        }
    }

    static Event event(Random r) {
        List<SummaryValue> values = new ArrayList<>();
        boolean version = r.nextInt(5) == 0; // file_version and summary are one oneof
        for (int i = version ? 0 : r.nextInt(4); i > 0; i--) {
            Optional<PluginData> plugin = Optional.empty();
            if (r.nextBoolean()) {
                byte[] content = new byte[r.nextInt(8)];
                r.nextBytes(content);
                plugin = Optional.of(new PluginData(TAGS[r.nextInt(TAGS.length)], content));
            }
            values.add(new SummaryValue(TAGS[r.nextInt(TAGS.length)], plugin, payload(r)));
        }
        long step = r.nextBoolean() ? r.nextInt(1000) : r.nextLong();
        return new Event(number(r), step, version ? Optional.of(TAGS[r.nextInt(TAGS.length)]) : Optional.empty(),
                r.nextInt(4) == 0 ? Optional.of(TAGS[r.nextInt(TAGS.length)]) : Optional.empty(), values);
    }

    @Property(tries = 500)
    void decodeInvertsEncode(@ForAll long seed) throws ProtoException {
        Event e = event(new Random(seed));
        byte[] b = EventCodec.encode(e);
        Event back = EventCodec.decode(b);
        assertEquals(Double.doubleToLongBits(e.wallTime()), Double.doubleToLongBits(back.wallTime()));
        assertEquals(e, back);
        assertEquals(java.util.Arrays.toString(b), java.util.Arrays.toString(EventCodec.encode(back)));
    }
}
