package dev.nabla.train.tensorboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subset of TensorBoard's hparams plugin data ({@code tensorboard/plugins/hparams/
 * plugin_data.proto} and {@code api.proto}) that PyTorch's {@code SummaryWriter.add_hparams}
 * writes: three summaries, each a value with no payload whose metadata names plugin
 * {@code "hparams"} and holds an {@code HParamsPluginData} (version 0): the {@code Experiment}
 * (each hyperparameter's name and type, each metric's tag), the {@code SessionStartInfo} (the
 * hyperparameter values) and the {@code SessionEndInfo} (status {@code STATUS_SUCCESS}). Not
 * written: discrete domains, intervals, display names, descriptions, times, group names.
 * {@link #decode} reads these three messages back. Stateless and thread-safe.
 */
public final class HParams {
    /** The plugin name in the summaries' metadata. */
    public static final String PLUGIN_NAME = "hparams";
    /** The tag of the experiment summary. */
    public static final String EXPERIMENT_TAG = "_hparams_/experiment";
    /** The tag of the session-start summary (the hyperparameter values). */
    public static final String SESSION_START_INFO_TAG = "_hparams_/session_start_info";
    /** The tag of the session-end summary (the status). */
    public static final String SESSION_END_INFO_TAG = "_hparams_/session_end_info";
    /** {@code DataType.DATA_TYPE_STRING}. */
    public static final int DATA_TYPE_STRING = 1;
    /** {@code DataType.DATA_TYPE_BOOL}. */
    public static final int DATA_TYPE_BOOL = 2;
    /** {@code DataType.DATA_TYPE_FLOAT64}. */
    public static final int DATA_TYPE_FLOAT64 = 3;
    /** {@code Status.STATUS_SUCCESS}. */
    public static final int STATUS_SUCCESS = 1;

    private HParams() {}

    /** One of the three hparams plugin messages, decoded. Immutable and thread-safe. */
    public sealed interface Content {}

    /**
     * An {@code Experiment}: the hyperparameters' names and types, and the metrics' tags.
     *
     * @param hparams name and {@code DataType} of each hyperparameter, in order
     * @param metricTags each metric's tag, in order
     */
    public record Experiment(List<Info> hparams, List<String> metricTags) implements Content {
        /** Copies the lists. */
        public Experiment {
            hparams = List.copyOf(hparams);
            metricTags = List.copyOf(metricTags);
        }
    }

    /**
     * An {@code HParamInfo}'s name and type.
     *
     * @param name the hyperparameter
     * @param type {@link #DATA_TYPE_FLOAT64}, {@link #DATA_TYPE_STRING} or {@link #DATA_TYPE_BOOL}
     */
    public record Info(String name, int type) {}

    /**
     * A {@code SessionStartInfo}'s hyperparameter values: {@link Double}, {@link String} or
     * {@link Boolean} (values of other kinds, null, struct and list, are skipped).
     *
     * @param hparams name to value, in the file's order
     */
    public record SessionStart(Map<String, Object> hparams) implements Content {
        /** Copies the map, keeping its order. */
        public SessionStart {
            hparams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hparams));
        }
    }

    /**
     * A {@code SessionEndInfo}'s status.
     *
     * @param status {@link #STATUS_SUCCESS} for the sessions this library writes
     */
    public record SessionEnd(int status) implements Content {}

    // ------------------------------------------------------------------ encoding

    /** The {@code HParamsPluginData} holding the experiment for {@code hparams} (validated values) and {@code metrics}. */
    static byte[] experiment(Map<String, Object> hparams, Collection<String> metrics) {
        ProtoWriter exp = new ProtoWriter();
        for (Map.Entry<String, Object> e : hparams.entrySet()) {
            ProtoWriter info = new ProtoWriter();
            info.putString(1, e.getKey());
            info.putVarint(4, typeOf(e.getValue()));
            exp.putMessage(4, info);
        }
        for (String m : metrics) {
            ProtoWriter name = new ProtoWriter();
            name.putString(2, m);
            ProtoWriter info = new ProtoWriter();
            info.putMessage(1, name);
            exp.putMessage(5, info);
        }
        return pluginData(2, exp);
    }

    /** The {@code HParamsPluginData} holding the session start with {@code hparams} (validated values). */
    static byte[] sessionStart(Map<String, Object> hparams) {
        ProtoWriter ssi = new ProtoWriter();
        for (Map.Entry<String, Object> e : hparams.entrySet()) {
            ProtoWriter value = new ProtoWriter(); // google.protobuf.Value: a oneof, always written
            Object v = e.getValue();
            if (v instanceof String) {
                value.putStringExplicit(3, (String) v);
            } else if (v instanceof Boolean) {
                value.putVarintExplicit(4, (Boolean) v ? 1 : 0);
            } else {
                value.putDoubleExplicit(2, ((Number) v).doubleValue());
            }
            ProtoWriter entry = new ProtoWriter(); // map<string, Value> entry: key 1, value 2
            entry.putString(1, e.getKey());
            entry.putMessage(2, value);
            ssi.putMessage(1, entry);
        }
        return pluginData(3, ssi);
    }

    /** The {@code HParamsPluginData} holding a successful session end. */
    static byte[] sessionEnd() {
        ProtoWriter sei = new ProtoWriter();
        sei.putVarint(1, STATUS_SUCCESS);
        return pluginData(4, sei);
    }

    private static byte[] pluginData(int field, ProtoWriter message) {
        ProtoWriter w = new ProtoWriter();
        // version (field 1) is 0: omitted
        w.putMessage(field, message);
        return w.toByteArray();
    }

    static int typeOf(Object v) {
        return v instanceof String ? DATA_TYPE_STRING : v instanceof Boolean ? DATA_TYPE_BOOL : DATA_TYPE_FLOAT64;
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Decodes an hparams plugin content ({@link PluginData#content()} of a value whose plugin is
     * {@link #PLUGIN_NAME}). Fails with the offset in {@code content} when it is malformed or
     * holds none of the three messages.
     */
    public static Content decode(byte[] content) throws TensorBoardFormatException {
        try {
            ProtoReader r = new ProtoReader(content);
            Content out = null;
            while (r.hasMore()) {
                int key = r.readKey();
                int field = key >>> 3;
                int wire = key & 7;
                if (wire == ProtoWriter.LEN && field == 2) {
                    out = decodeExperiment(r.readMessage());
                } else if (wire == ProtoWriter.LEN && field == 3) {
                    out = decodeSessionStart(r.readMessage());
                } else if (wire == ProtoWriter.LEN && field == 4) {
                    out = decodeSessionEnd(r.readMessage());
                } else {
                    r.skip(wire);
                }
            }
            if (out == null) {
                throw new ProtoException(0, "HParamsPluginData holds no experiment, session_start_info or session_end_info");
            }
            return out;
        } catch (ProtoException e) {
            throw new TensorBoardFormatException("hparams plugin content", e.offset(), e.getMessage());
        }
    }

    private static Experiment decodeExperiment(ProtoReader r) throws ProtoException {
        List<Info> infos = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        while (r.hasMore()) {
            int key = r.readKey();
            if (key == (4 << 3 | ProtoWriter.LEN)) {
                ProtoReader info = r.readMessage();
                String name = "";
                int type = 0;
                while (info.hasMore()) {
                    int k = info.readKey();
                    if (k == (1 << 3 | ProtoWriter.LEN)) {
                        name = info.readString();
                    } else if (k == (4 << 3 | ProtoWriter.VARINT)) {
                        type = (int) info.readVarint();
                    } else {
                        info.skip(k & 7);
                    }
                }
                infos.add(new Info(name, type));
            } else if (key == (5 << 3 | ProtoWriter.LEN)) {
                metrics.add(decodeMetricTag(r.readMessage()));
            } else {
                r.skip(key & 7);
            }
        }
        return new Experiment(infos, metrics);
    }

    private static String decodeMetricTag(ProtoReader info) throws ProtoException {
        String tag = "";
        while (info.hasMore()) {
            int k = info.readKey();
            if (k == (1 << 3 | ProtoWriter.LEN)) {
                ProtoReader name = info.readMessage();
                while (name.hasMore()) {
                    int n = name.readKey();
                    if (n == (2 << 3 | ProtoWriter.LEN)) {
                        tag = name.readString();
                    } else {
                        name.skip(n & 7);
                    }
                }
            } else {
                info.skip(k & 7);
            }
        }
        return tag;
    }

    private static SessionStart decodeSessionStart(ProtoReader r) throws ProtoException {
        Map<String, Object> values = new LinkedHashMap<>();
        while (r.hasMore()) {
            int key = r.readKey();
            if (key == (1 << 3 | ProtoWriter.LEN)) {
                ProtoReader entry = r.readMessage();
                String name = "";
                Object value = null;
                while (entry.hasMore()) {
                    int k = entry.readKey();
                    if (k == (1 << 3 | ProtoWriter.LEN)) {
                        name = entry.readString();
                    } else if (k == (2 << 3 | ProtoWriter.LEN)) {
                        value = decodeValue(entry.readMessage());
                    } else {
                        entry.skip(k & 7);
                    }
                }
                if (value != null) {
                    values.put(name, value);
                }
            } else {
                r.skip(key & 7);
            }
        }
        return new SessionStart(values);
    }

    private static Object decodeValue(ProtoReader v) throws ProtoException {
        Object value = null;
        while (v.hasMore()) {
            int k = v.readKey();
            if (k == (2 << 3 | ProtoWriter.I64)) {
                value = v.readDouble();
            } else if (k == (3 << 3 | ProtoWriter.LEN)) {
                value = v.readString();
            } else if (k == (4 << 3 | ProtoWriter.VARINT)) {
                value = v.readVarint() != 0;
            } else {
                v.skip(k & 7);
                value = null; // null, struct or list: not kept
            }
        }
        return value;
    }

    private static SessionEnd decodeSessionEnd(ProtoReader r) throws ProtoException {
        int status = 0;
        while (r.hasMore()) {
            int key = r.readKey();
            if (key == (1 << 3 | ProtoWriter.VARINT)) {
                status = (int) r.readVarint();
            } else {
                r.skip(key & 7);
            }
        }
        return new SessionEnd(status);
    }
}
