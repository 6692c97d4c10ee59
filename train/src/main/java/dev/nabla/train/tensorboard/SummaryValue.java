package dev.nabla.train.tensorboard;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code Summary.Value} (TensorFlow's {@code summary.proto}): a tag (field 1), optional
 * metadata naming the plugin that reads it (field 9; only its {@code plugin_data} is kept), and a
 * {@link Payload}: a scalar, a histogram, an image, a tensor, or nothing (hparams summaries carry
 * everything in their metadata). Immutable and thread-safe.
 *
 * @param tag the series name, e.g. {@code "train/loss"}
 * @param plugin the metadata's plugin data, if any
 * @param payload the value
 */
public record SummaryValue(String tag, Optional<PluginData> plugin, Payload payload) {
    /** Checks for nulls. */
    public SummaryValue {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(payload, "payload");
    }

    /** A scalar value as PyTorch's {@code add_scalar} writes it: {@code simple_value}, no metadata. */
    public static SummaryValue scalar(String tag, float value) {
        return new SummaryValue(tag, Optional.empty(), new Payload.Scalar(value));
    }

    /** The scalar, widened to double, when the payload is a {@link Payload.Scalar}. */
    public Optional<Double> scalar() {
        return payload instanceof Payload.Scalar ? Optional.of((double) ((Payload.Scalar) payload).value()) : Optional.empty();
    }

    /** The histogram, when the payload is one. */
    public Optional<Payload.Histogram> histogram() {
        return payload instanceof Payload.Histogram ? Optional.of((Payload.Histogram) payload) : Optional.empty();
    }

    /** The image, when the payload is one. */
    public Optional<Payload.Image> image() {
        return payload instanceof Payload.Image ? Optional.of((Payload.Image) payload) : Optional.empty();
    }

    /**
     * The text of a text-plugin value (plugin {@code "text"}, a {@code DT_STRING} tensor): its first
     * string, decoded as UTF-8 (malformed bytes become U+FFFD).
     */
    public Optional<String> text() {
        if (plugin.isEmpty() || !plugin.get().pluginName().equals("text") || !(payload instanceof Payload.Tensor)) {
            return Optional.empty();
        }
        Payload.Tensor t = (Payload.Tensor) payload;
        if (t.dtype() != Payload.Tensor.DT_STRING || t.stringCount() == 0) {
            return Optional.empty();
        }
        return Optional.of(new String(t.string(0), StandardCharsets.UTF_8));
    }
}
