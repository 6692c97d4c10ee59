package dev.nabla.train.tensorboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encodes {@link Event}s to protocol-buffer bytes and decodes them back, for the subset of
 * {@code event.proto}, {@code summary.proto}, {@code histogram.proto} and {@code tensor.proto} that
 * the model classes hold. Fields are written in field-number order with proto3's default omission,
 * as protobuf's serializers (and so PyTorch's {@code SummaryWriter}) write them. Decoding skips
 * unknown fields and fields whose wire type is not the expected one (protobuf treats those as
 * unknown too); a non-repeated message field that occurs twice keeps its last occurrence (protobuf
 * would merge the two, which no writer relies on). Stateless and thread-safe.
 */
final class EventCodec {
    private EventCodec() {}

    // ------------------------------------------------------------------ encoding

    /** The serialized {@code Event}. */
    static byte[] encode(Event e) {
        ProtoWriter w = new ProtoWriter();
        w.putDouble(1, e.wallTime());
        w.putVarint(2, e.step());
        e.fileVersion().ifPresent(v -> w.putStringExplicit(3, v));
        if (!e.values().isEmpty()) {
            ProtoWriter summary = new ProtoWriter();
            for (SummaryValue v : e.values()) {
                summary.putMessage(1, encodeValue(v));
            }
            w.putMessage(5, summary);
        }
        e.sourceWriter().ifPresent(s -> {
            ProtoWriter source = new ProtoWriter();
            source.putString(1, s);
            w.putMessage(10, source);
        });
        return w.toByteArray();
    }

    private static ProtoWriter encodeValue(SummaryValue v) {
        ProtoWriter w = new ProtoWriter();
        w.putString(1, v.tag());
        Payload p = v.payload();
        if (p instanceof Payload.Scalar) {
            w.putFloatExplicit(2, ((Payload.Scalar) p).value());
        } else if (p instanceof Payload.Image) {
            w.putMessage(4, encodeImage((Payload.Image) p));
        } else if (p instanceof Payload.Histogram) {
            w.putMessage(5, encodeHistogram((Payload.Histogram) p));
        } else if (p instanceof Payload.Tensor) {
            w.putMessage(8, encodeTensor((Payload.Tensor) p));
        } else if (p instanceof Payload.Unsupported) {
            throw new IllegalArgumentException("EventWriter: value '" + v.tag() + "' has a payload kind (Summary.Value field "
                    + ((Payload.Unsupported) p).field() + ") that this library reads past but cannot write");
        }
        v.plugin().ifPresent(pd -> {
            ProtoWriter plugin = new ProtoWriter();
            plugin.putString(1, pd.pluginName());
            plugin.putBytes(2, pd.content());
            ProtoWriter metadata = new ProtoWriter();
            metadata.putMessage(1, plugin);
            w.putMessage(9, metadata);
        });
        return w;
    }

    private static ProtoWriter encodeImage(Payload.Image im) {
        ProtoWriter w = new ProtoWriter();
        w.putVarint(1, im.height());
        w.putVarint(2, im.width());
        w.putVarint(3, im.colorspace());
        w.putBytes(4, im.encoded());
        return w;
    }

    private static ProtoWriter encodeHistogram(Payload.Histogram h) {
        ProtoWriter w = new ProtoWriter();
        w.putDouble(1, h.min());
        w.putDouble(2, h.max());
        w.putDouble(3, h.num());
        w.putDouble(4, h.sum());
        w.putDouble(5, h.sumSquares());
        w.putPackedDoubles(6, h.bucketLimits());
        w.putPackedDoubles(7, h.bucketCounts());
        return w;
    }

    private static ProtoWriter encodeTensor(Payload.Tensor t) {
        ProtoWriter w = new ProtoWriter();
        w.putVarint(1, t.dtype());
        ProtoWriter shape = new ProtoWriter();
        for (long d : t.shape()) {
            ProtoWriter dim = new ProtoWriter();
            dim.putVarint(1, d);
            shape.putMessage(2, dim);
        }
        w.putMessage(2, shape);
        w.putPackedFloats(5, t.floats());
        w.putPackedDoubles(6, t.doubles());
        for (int i = 0; i < t.stringCount(); i++) {
            w.putBytesExplicit(8, t.string(i));
        }
        return w;
    }

    // ------------------------------------------------------------------ decoding

    /** Decodes one {@code Event} from all of {@code b}. */
    static Event decode(byte[] b) throws ProtoException {
        ProtoReader r = new ProtoReader(b);
        double wallTime = 0;
        long step = 0;
        Optional<String> fileVersion = Optional.empty();
        Optional<String> source = Optional.empty();
        List<SummaryValue> values = List.of();
        while (r.hasMore()) {
            int key = r.readKey();
            int field = key >>> 3;
            int wire = key & 7;
            if (field == 1 && wire == ProtoWriter.I64) {
                wallTime = r.readDouble();
            } else if (field == 2 && wire == ProtoWriter.VARINT) {
                step = r.readVarint();
            } else if (field == 3 && wire == ProtoWriter.LEN) {
                fileVersion = Optional.of(r.readString());
                values = List.of(); // oneof: the last member wins
            } else if (field == 5 && wire == ProtoWriter.LEN) {
                values = decodeSummary(r.readMessage());
                fileVersion = Optional.empty();
            } else if (field == 10 && wire == ProtoWriter.LEN) {
                source = Optional.of(decodeSource(r.readMessage()));
            } else {
                r.skip(wire);
            }
        }
        return new Event(wallTime, step, fileVersion, source, values);
    }

    private static String decodeSource(ProtoReader r) throws ProtoException {
        String writer = "";
        while (r.hasMore()) {
            int key = r.readKey();
            if (key == (1 << 3 | ProtoWriter.LEN)) {
                writer = r.readString();
            } else {
                r.skip(key & 7);
            }
        }
        return writer;
    }

    private static List<SummaryValue> decodeSummary(ProtoReader r) throws ProtoException {
        List<SummaryValue> values = new ArrayList<>();
        while (r.hasMore()) {
            int key = r.readKey();
            if (key == (1 << 3 | ProtoWriter.LEN)) {
                values.add(decodeValue(r.readMessage()));
            } else {
                r.skip(key & 7);
            }
        }
        return values;
    }

    private static SummaryValue decodeValue(ProtoReader r) throws ProtoException {
        String tag = "";
        Optional<PluginData> plugin = Optional.empty();
        Payload payload = new Payload.Empty();
        while (r.hasMore()) {
            int key = r.readKey();
            int field = key >>> 3;
            int wire = key & 7;
            if (field == 1 && wire == ProtoWriter.LEN) {
                tag = r.readString();
            } else if (field == 2 && wire == ProtoWriter.I32) {
                payload = new Payload.Scalar(r.readFloat());
            } else if (field == 4 && wire == ProtoWriter.LEN) {
                payload = decodeImage(r.readMessage());
            } else if (field == 5 && wire == ProtoWriter.LEN) {
                payload = decodeHistogram(r.readMessage());
            } else if (field == 8 && wire == ProtoWriter.LEN) {
                payload = decodeTensor(r.readMessage());
            } else if ((field == 3 || field == 6) && wire == ProtoWriter.LEN) {
                r.skip(wire);
                payload = new Payload.Unsupported(field);
            } else if (field == 9 && wire == ProtoWriter.LEN) {
                plugin = decodeMetadata(r.readMessage());
            } else {
                r.skip(wire);
            }
        }
        return new SummaryValue(tag, plugin, payload);
    }

    private static Optional<PluginData> decodeMetadata(ProtoReader r) throws ProtoException {
        Optional<PluginData> plugin = Optional.empty();
        while (r.hasMore()) {
            int key = r.readKey();
            if (key == (1 << 3 | ProtoWriter.LEN)) {
                plugin = Optional.of(decodePluginData(r.readMessage()));
            } else {
                r.skip(key & 7);
            }
        }
        return plugin;
    }

    private static PluginData decodePluginData(ProtoReader r) throws ProtoException {
        String name = "";
        byte[] content = new byte[0];
        while (r.hasMore()) {
            int key = r.readKey();
            if (key == (1 << 3 | ProtoWriter.LEN)) {
                name = r.readString();
            } else if (key == (2 << 3 | ProtoWriter.LEN)) {
                content = r.readBytes();
            } else {
                r.skip(key & 7);
            }
        }
        return new PluginData(name, content);
    }

    private static Payload.Image decodeImage(ProtoReader r) throws ProtoException {
        int height = 0;
        int width = 0;
        int colorspace = 0;
        byte[] encoded = new byte[0];
        while (r.hasMore()) {
            int key = r.readKey();
            int field = key >>> 3;
            int wire = key & 7;
            if (field == 1 && wire == ProtoWriter.VARINT) {
                height = (int) r.readVarint();
            } else if (field == 2 && wire == ProtoWriter.VARINT) {
                width = (int) r.readVarint();
            } else if (field == 3 && wire == ProtoWriter.VARINT) {
                colorspace = (int) r.readVarint();
            } else if (field == 4 && wire == ProtoWriter.LEN) {
                encoded = r.readBytes();
            } else {
                r.skip(wire);
            }
        }
        return new Payload.Image(height, width, colorspace, encoded);
    }

    private static Payload.Histogram decodeHistogram(ProtoReader r) throws ProtoException {
        double[] stats = new double[5];
        DoubleList limits = new DoubleList();
        DoubleList counts = new DoubleList();
        while (r.hasMore()) {
            int key = r.readKey();
            int field = key >>> 3;
            int wire = key & 7;
            if (field >= 1 && field <= 5 && wire == ProtoWriter.I64) {
                stats[field - 1] = r.readDouble();
            } else if (field == 6 && (wire == ProtoWriter.LEN || wire == ProtoWriter.I64)) {
                r.readDoubles(wire, limits);
            } else if (field == 7 && (wire == ProtoWriter.LEN || wire == ProtoWriter.I64)) {
                r.readDoubles(wire, counts);
            } else {
                r.skip(wire);
            }
        }
        return new Payload.Histogram(stats[0], stats[1], stats[2], stats[3], stats[4], limits.toArray(), counts.toArray());
    }

    private static Payload.Tensor decodeTensor(ProtoReader r) throws ProtoException {
        int dtype = 0;
        long[] shape = new long[0];
        List<byte[]> strings = new ArrayList<>();
        DoubleList floats = new DoubleList();
        DoubleList doubles = new DoubleList();
        while (r.hasMore()) {
            int key = r.readKey();
            int field = key >>> 3;
            int wire = key & 7;
            if (field == 1 && wire == ProtoWriter.VARINT) {
                dtype = (int) r.readVarint();
            } else if (field == 2 && wire == ProtoWriter.LEN) {
                shape = decodeShape(r.readMessage());
            } else if (field == 5 && (wire == ProtoWriter.LEN || wire == ProtoWriter.I32)) {
                r.readFloats(wire, floats);
            } else if (field == 6 && (wire == ProtoWriter.LEN || wire == ProtoWriter.I64)) {
                r.readDoubles(wire, doubles);
            } else if (field == 8 && wire == ProtoWriter.LEN) {
                strings.add(r.readBytes());
            } else {
                r.skip(wire);
            }
        }
        double[] f = floats.toArray();
        float[] fl = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            fl[i] = (float) f[i]; // widened on the way in, so this is exact
        }
        return new Payload.Tensor(dtype, shape, strings, fl, doubles.toArray());
    }

    private static long[] decodeShape(ProtoReader r) throws ProtoException {
        List<Long> sizes = new ArrayList<>(); // each dim takes at least 2 bytes of the record: bounded by its size
        while (r.hasMore()) {
            int key = r.readKey();
            if (key == (2 << 3 | ProtoWriter.LEN)) {
                sizes.add(decodeDim(r.readMessage()));
            } else {
                r.skip(key & 7);
            }
        }
        long[] out = new long[sizes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = sizes.get(i);
        }
        return out;
    }

    private static long decodeDim(ProtoReader r) throws ProtoException {
        long size = 0;
        while (r.hasMore()) {
            int key = r.readKey();
            if (key == (1 << 3 | ProtoWriter.VARINT)) {
                size = r.readVarint();
            } else {
                r.skip(key & 7);
            }
        }
        return size;
    }
}
