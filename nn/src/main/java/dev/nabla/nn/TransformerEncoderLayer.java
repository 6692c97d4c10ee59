package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * One transformer encoder layer as PyTorch's {@code nn.TransformerEncoderLayer(d_model, nhead,
 * dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first)}: self-attention
 * and a two-layer feed-forward block, each with a residual connection and a {@link LayerNorm}.
 * Post-norm (the default, as "Attention Is All You Need"):
 * {@code x = norm1(x + sa(x)); x = norm2(x + ff(x))}; pre-norm ({@code normFirst}):
 * {@code x = x + sa(norm1(x)); x = x + ff(norm2(x))}, where {@code sa} is {@code self_attn} then
 * {@code dropout1} and {@code ff} is {@code linear2(dropout(activation(linear1(x))))} then
 * {@code dropout2}. Submodules and state-dict keys are PyTorch's: {@code self_attn.in_proj_weight},
 * {@code self_attn.in_proj_bias}, {@code self_attn.out_proj.weight}, {@code self_attn.out_proj.bias},
 * {@code linear1.*}, {@code linear2.*}, {@code norm1.*}, {@code norm2.*}. Layout {@code (L, N, E)},
 * or {@code (N, L, E)} with {@code batchFirst}, or unbatched {@code (L, E)}; masks as
 * {@link MultiheadAttention}'s (BOOL true = masked, or floating, added).
 * Every weight and every dropout mask is drawn from the constructor's generator.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class TransformerEncoderLayer extends Module {
    private final boolean normFirst;
    private final TransformerActivation activation;
    private final MultiheadAttention selfAttn;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout1;
    private final Dropout dropout2;

    /** PyTorch's defaults: {@code dim_feedforward=2048, dropout=0.1, relu, eps 1e-5, (L, N, E), post-norm}. */
    public TransformerEncoderLayer(int dModel, int nhead, Random rng) {
        this(dModel, nhead, 2048, 0.1, TransformerActivation.RELU, 1e-5, false, false, rng);
    }

    /** Every option of PyTorch's constructor but {@code bias} (always with biases). */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout,
                                   TransformerActivation activation, double layerNormEps, boolean batchFirst,
                                   boolean normFirst, Random rng) {
        if (dimFeedforward <= 0) {
            throw new IllegalArgumentException("TransformerEncoderLayer: dim_feedforward must be positive, got "
                    + dimFeedforward);
        }
        if (activation == null) {
            throw new IllegalArgumentException("TransformerEncoderLayer: activation must be RELU or GELU, got null");
        }
        this.normFirst = normFirst;
        this.activation = activation;
        this.selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst, rng));
        this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, rng));
        this.dropout = registerModule("dropout", new Dropout(dropout, rng));
        this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, rng));
        this.norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.dropout1 = registerModule("dropout1", new Dropout(dropout, rng));
        this.dropout2 = registerModule("dropout2", new Dropout(dropout, rng));
    }

    /** The layer without masks. */
    @Override
    public Variable forward(Variable src) {
        return forward(src, null, null, false);
    }

    /**
     * PyTorch's {@code forward(src, src_mask, src_key_padding_mask, is_causal)}; either mask may be
     * null, and {@code isCausal} without a mask applies the causal mask (see {@link MultiheadAttention.Input}).
     */
    public Variable forward(Variable src, Variable srcMask, Variable srcKeyPaddingMask, boolean isCausal) {
        Variable x = src;
        if (normFirst) {
            x = x.add(saBlock(norm1.call(x), srcMask, srcKeyPaddingMask, isCausal));
            x = x.add(ffBlock(norm2.call(x)));
        } else {
            x = norm1.call(x.add(saBlock(x, srcMask, srcKeyPaddingMask, isCausal)));
            x = norm2.call(x.add(ffBlock(x)));
        }
        return x;
    }

    private Variable saBlock(Variable x, Variable mask, Variable keyPaddingMask, boolean isCausal) {
        MultiheadAttention.Input in = MultiheadAttention.Input.self(x).withAttnMask(mask)
                .withKeyPaddingMask(keyPaddingMask).withNeedWeights(false).withCausal(isCausal);
        return dropout1.call(selfAttn.apply(in).output());
    }

    private Variable ffBlock(Variable x) {
        return dropout2.call(linear2.call(dropout.call(activation.apply(linear1.call(x)))));
    }

    /** Whether the layer normalizes before each block (pre-norm). */
    public boolean normFirst() {
        return normFirst;
    }

    /** The self-attention block. */
    public MultiheadAttention selfAttn() {
        return selfAttn;
    }

    /** The feed-forward activation. */
    public TransformerActivation activation() {
        return activation;
    }
}
