package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.function.IntFunction;

/**
 * A stack of {@code numLayers} {@link TransformerDecoderLayer}s and an optional final
 * {@link LayerNorm}, as PyTorch's {@code nn.TransformerDecoder(decoder_layer, num_layers, norm)}:
 * state-dict keys {@code layers.0.self_attn.in_proj_weight}, ..., {@code norm.weight}; each layer
 * gets the same memory and masks. As {@link TransformerEncoder}, the layers are built by
 * {@code layer} (PyTorch deep-copies one).
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class TransformerDecoder extends MultiModule<TransformerDecoderLayer.Input, Variable> {
    private final ModuleList layers;
    private final LayerNorm norm;

    /** {@code numLayers} layers from {@code layer.apply(i)}, then {@code norm} (null for none). */
    public TransformerDecoder(IntFunction<TransformerDecoderLayer> layer, int numLayers, LayerNorm norm) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerDecoder: num_layers must be positive, got " + numLayers);
        }
        this.layers = registerModule("layers", new ModuleList());
        for (int i = 0; i < numLayers; i++) {
            layers.add(layer.apply(i));
        }
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /** The stack without masks. */
    public Variable forward(Variable tgt, Variable memory) {
        return apply(TransformerDecoderLayer.Input.of(tgt, memory));
    }

    @Override
    public Variable apply(TransformerDecoderLayer.Input in) {
        Variable x = in.tgt();
        for (Module m : layers) {
            x = ((TransformerDecoderLayer) m).apply(in.withTgt(x));
        }
        return norm == null ? x : norm.call(x);
    }

    /** The layers. */
    public ModuleList layers() {
        return layers;
    }
}
