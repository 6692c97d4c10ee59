package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.function.IntFunction;

/**
 * A stack of {@code numLayers} {@link TransformerEncoderLayer}s and an optional final
 * {@link LayerNorm}, as PyTorch's {@code nn.TransformerEncoder(encoder_layer, num_layers, norm)}:
 * state-dict keys {@code layers.0.self_attn.in_proj_weight}, ..., {@code norm.weight}. PyTorch
 * deep-copies one layer, so its layers start with equal weights; here {@code layer} builds each
 * one (given its index), so they start independently drawn.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class TransformerEncoder extends Module {
    private final ModuleList layers;
    private final LayerNorm norm;

    /** {@code numLayers} layers from {@code layer.apply(i)}, then {@code norm} (null for none). */
    public TransformerEncoder(IntFunction<TransformerEncoderLayer> layer, int numLayers, LayerNorm norm) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerEncoder: num_layers must be positive, got " + numLayers);
        }
        this.layers = registerModule("layers", new ModuleList());
        for (int i = 0; i < numLayers; i++) {
            layers.add(layer.apply(i));
        }
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /** The stack without masks. */
    @Override
    public Variable forward(Variable src) {
        return forward(src, null, null, false);
    }

    /** PyTorch's {@code forward(src, mask, src_key_padding_mask, is_causal)}: every layer gets the same masks. */
    public Variable forward(Variable src, Variable mask, Variable srcKeyPaddingMask, boolean isCausal) {
        Variable x = src;
        for (Module m : layers) {
            x = ((TransformerEncoderLayer) m).forward(x, mask, srcKeyPaddingMask, isCausal);
        }
        return norm == null ? x : norm.call(x);
    }

    /** The layers. */
    public ModuleList layers() {
        return layers;
    }
}
