package dev.nabla.train.tensorboard;

import java.util.Map;

/**
 * Test support: the layout of an encoded Event as field numbers and wire types, descending into the
 * fields that are messages (e.g. {@code "1:I64 2:VARINT 5:{1:{1:LEN 2:I32}}"}), so that two writers'
 * records can be compared field by field without their values.
 */
final class WireStructure {
    private static final Map<String, Map<Integer, String>> SCHEMA = Map.of(
            "Event", Map.of(5, "Summary", 10, "SourceMetadata"),
            "Summary", Map.of(1, "Value"),
            "Value", Map.of(4, "Image", 5, "Histogram", 8, "Tensor", 9, "Metadata"),
            "Metadata", Map.of(1, "PluginData"),
            "Tensor", Map.of(2, "Shape"),
            "Shape", Map.of(2, "Dim"));
    private static final String[] WIRE = {"VARINT", "I64", "LEN", "SGROUP", "EGROUP", "I32"};

    private WireStructure() {}

    /** The layout of an encoded {@code Event}. */
    static String of(byte[] event) {
        try {
            return of(new ProtoReader(event), "Event");
        } catch (ProtoException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String of(ProtoReader r, String message) throws ProtoException {
        StringBuilder sb = new StringBuilder();
        Map<Integer, String> children = SCHEMA.getOrDefault(message, Map.of());
        while (r.hasMore()) {
            int key = r.readKey();
            int field = key >>> 3;
            int wire = key & 7;
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(field).append(':');
            String child = children.get(field);
            if (child != null && wire == ProtoWriter.LEN) {
                sb.append('{').append(of(r.readMessage(), child)).append('}');
            } else {
                sb.append(WIRE[wire]);
                r.skip(wire);
            }
        }
        return sb.toString();
    }
}
