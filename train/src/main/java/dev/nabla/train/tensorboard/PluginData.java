package dev.nabla.train.tensorboard;

import java.util.Arrays;
import java.util.Objects;

/**
 * The {@code plugin_data} of a summary value's {@code SummaryMetadata}: which TensorBoard plugin
 * reads the value ({@code "text"}, {@code "hparams"}, {@code "scalars"}, ...) and that plugin's own
 * serialized content (for hparams, an {@code HParamsPluginData}). Equality
 * compares the content bytes. Immutable (the content is copied in and out) and thread-safe.
 *
 * @param pluginName the plugin's name
 * @param content the plugin's serialized content (often empty)
 */
public record PluginData(String pluginName, byte[] content) {
    /** Checks for nulls and copies {@code content}. */
    public PluginData {
        Objects.requireNonNull(pluginName, "pluginName");
        content = content.clone();
    }

    /** A copy of the content. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluginData && ((PluginData) o).pluginName.equals(pluginName)
                && Arrays.equals(((PluginData) o).content, content);
    }

    @Override
    public int hashCode() {
        return 31 * pluginName.hashCode() + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "PluginData[" + pluginName + ", " + content.length + " bytes]";
    }
}
