package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * One transformer decoder layer as PyTorch's {@code nn.TransformerDecoderLayer(d_model, nhead,
 * dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first)}: self-attention
 * over the target, cross-attention ({@code multihead_attn}) from the target to the encoder's
 * {@code memory}, and a feed-forward block, each with a residual connection and a
 * {@link LayerNorm}. Post-norm (default): {@code x = norm1(x + sa(x)); x = norm2(x + mha(x, mem));
 * x = norm3(x + ff(x))}; pre-norm ({@code normFirst}): {@code x = x + sa(norm1(x));
 * x = x + mha(norm2(x), mem); x = x + ff(norm3(x))}; the blocks end in {@code dropout1},
 * {@code dropout2}, {@code dropout3}. Submodules and state-dict keys are PyTorch's
 * ({@code self_attn.*}, {@code multihead_attn.*}, {@code linear1.*}, {@code linear2.*},
 * {@code norm1.*}..{@code norm3.*}); layouts and masks as {@link TransformerEncoderLayer}'s.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class TransformerDecoderLayer extends MultiModule<TransformerDecoderLayer.Input, Variable> {
    private final boolean normFirst;
    private final TransformerActivation activation;
    private final MultiheadAttention selfAttn;
    private final MultiheadAttention multiheadAttn;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final LayerNorm norm3;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final Dropout dropout3;

    /**
     * The arguments of PyTorch's {@code forward(tgt, memory, tgt_mask, memory_mask,
     * tgt_key_padding_mask, memory_key_padding_mask, tgt_is_causal, memory_is_causal)}; masks may be
     * null; a causal flag without its mask applies the causal mask. Build with {@link #of}.
     * Shallowly immutable (a record).
     *
     * @param tgt                  the target sequence
     * @param memory               the encoder's output
     * @param tgtMask              self-attention mask {@code (T, T)} or {@code (N·nhead, T, T)}
     * @param memoryMask           cross-attention mask {@code (T, S)} or {@code (N·nhead, T, S)}
     * @param tgtKeyPaddingMask    {@code (N, T)}
     * @param memoryKeyPaddingMask {@code (N, S)}
     * @param tgtIsCausal          causal self-attention
     * @param memoryIsCausal       causal cross-attention
     */
    public record Input(Variable tgt, Variable memory, Variable tgtMask, Variable memoryMask, Variable tgtKeyPaddingMask,
                        Variable memoryKeyPaddingMask, boolean tgtIsCausal, boolean memoryIsCausal) {

        /** No masks, not causal. */
        public static Input of(Variable tgt, Variable memory) {
            return new Input(tgt, memory, null, null, null, null, false, false);
        }

        /** This input with {@code tgt_mask}. */
        public Input withTgtMask(Variable m) {
            return new Input(tgt, memory, m, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal);
        }

        /** This input with {@code memory_mask}. */
        public Input withMemoryMask(Variable m) {
            return new Input(tgt, memory, tgtMask, m, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal);
        }

        /** This input with {@code tgt_key_padding_mask}. */
        public Input withTgtKeyPaddingMask(Variable m) {
            return new Input(tgt, memory, tgtMask, memoryMask, m, memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal);
        }

        /** This input with {@code memory_key_padding_mask}. */
        public Input withMemoryKeyPaddingMask(Variable m) {
            return new Input(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, m, tgtIsCausal, memoryIsCausal);
        }

        /** This input with {@code tgt_is_causal}. */
        public Input withTgtCausal(boolean on) {
            return new Input(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, on, memoryIsCausal);
        }

        /** This input with the target replaced (how a stack feeds one layer's output to the next). */
        Input withTgt(Variable t) {
            return new Input(t, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal,
                    memoryIsCausal);
        }
    }

    /** PyTorch's defaults: {@code dim_feedforward=2048, dropout=0.1, relu, eps 1e-5, (L, N, E), post-norm}. */
    public TransformerDecoderLayer(int dModel, int nhead, Random rng) {
        this(dModel, nhead, 2048, 0.1, TransformerActivation.RELU, 1e-5, false, false, rng);
    }

    /** Every option of PyTorch's constructor but {@code bias} (always with biases). */
    public TransformerDecoderLayer(int dModel, int nhead, int dimFeedforward, double dropout,
                                   TransformerActivation activation, double layerNormEps, boolean batchFirst,
                                   boolean normFirst, Random rng) {
        if (dimFeedforward <= 0) {
            throw new IllegalArgumentException("TransformerDecoderLayer: dim_feedforward must be positive, got "
                    + dimFeedforward);
        }
        if (activation == null) {
            throw new IllegalArgumentException("TransformerDecoderLayer: activation must be RELU or GELU, got null");
        }
        this.normFirst = normFirst;
        this.activation = activation;
        this.selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst, rng));
        this.multiheadAttn = registerModule("multihead_attn",
                new MultiheadAttention(dModel, nhead, dropout, true, batchFirst, rng));
        this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, rng));
        this.dropout = registerModule("dropout", new Dropout(dropout, rng));
        this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, rng));
        this.norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm3 = registerModule("norm3", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.dropout1 = registerModule("dropout1", new Dropout(dropout, rng));
        this.dropout2 = registerModule("dropout2", new Dropout(dropout, rng));
        this.dropout3 = registerModule("dropout3", new Dropout(dropout, rng));
    }

    /** The layer without masks. */
    public Variable forward(Variable tgt, Variable memory) {
        return apply(Input.of(tgt, memory));
    }

    @Override
    public Variable apply(Input in) {
        Variable x = in.tgt();
        Variable mem = in.memory();
        if (x == null || mem == null) {
            throw new IllegalArgumentException("TransformerDecoderLayer: tgt and memory must not be null");
        }
        if (normFirst) {
            x = x.add(saBlock(norm1.call(x), in));
            x = x.add(mhaBlock(norm2.call(x), mem, in));
            x = x.add(ffBlock(norm3.call(x)));
        } else {
            x = norm1.call(x.add(saBlock(x, in)));
            x = norm2.call(x.add(mhaBlock(x, mem, in)));
            x = norm3.call(x.add(ffBlock(x)));
        }
        return x;
    }

    private Variable saBlock(Variable x, Input in) {
        MultiheadAttention.Input a = MultiheadAttention.Input.self(x).withAttnMask(in.tgtMask())
                .withKeyPaddingMask(in.tgtKeyPaddingMask()).withNeedWeights(false).withCausal(in.tgtIsCausal());
        return dropout1.call(selfAttn.apply(a).output());
    }

    private Variable mhaBlock(Variable x, Variable mem, Input in) {
        MultiheadAttention.Input a = MultiheadAttention.Input.of(x, mem, mem).withAttnMask(in.memoryMask())
                .withKeyPaddingMask(in.memoryKeyPaddingMask()).withNeedWeights(false).withCausal(in.memoryIsCausal());
        return dropout2.call(multiheadAttn.apply(a).output());
    }

    private Variable ffBlock(Variable x) {
        return dropout3.call(linear2.call(dropout.call(activation.apply(linear1.call(x)))));
    }

    /** Whether the layer normalizes before each block (pre-norm). */
    public boolean normFirst() {
        return normFirst;
    }

    /** The feed-forward activation. */
    public TransformerActivation activation() {
        return activation;
    }
}
