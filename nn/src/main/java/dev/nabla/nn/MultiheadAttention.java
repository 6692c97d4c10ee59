package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Random;

/**
 * Multi-head attention as PyTorch's {@code nn.MultiheadAttention(embed_dim, num_heads, dropout,
 * bias, batch_first=...)}: the query, key and value are projected by the stacked
 * {@code in_proj_weight (3E, E)} and {@code in_proj_bias (3E)} (rows {@code [0, E)} for the
 * query, {@code [E, 2E)} the key, {@code [2E, 3E)} the value), split into {@code num_heads} heads of
 * {@code E / num_heads}, attended by {@link Attention#attention} and recombined by the
 * {@link Linear} {@code out_proj}; a PyTorch state dict ({@code in_proj_weight},
 * {@code in_proj_bias}, {@code out_proj.weight}, {@code out_proj.bias}) loads strictly. Key and
 * value have the query's embedding size ({@code kdim = vdim = embed_dim}); {@code add_bias_kv}
 * and {@code add_zero_attn} are not offered.
 *
 * <p>Layout: {@code (L, N, E)} by default, {@code (N, L, E)} with {@code batchFirst}, or unbatched
 * {@code (L, E)}. Masks use PyTorch's {@code nn.MultiheadAttention} convention, the opposite of
 * {@link Attention#scaledDotProductAttention}'s: a BOOL {@code true} means <em>not allowed to
 * attend</em>; a floating mask is added to the scores. {@code key_padding_mask} is {@code (N, S)}
 * ({@code (S)} unbatched); {@code attn_mask} is {@code (L, S)} or {@code (N·num_heads, L, S)}.
 * Fully masked rows give weights 0 (see {@link Attention}), where PyTorch's
 * {@code need_weights=True} path gives NaN.
 *
 * <p>Initialization as PyTorch's {@code _reset_parameters}: Xavier uniform {@code in_proj_weight},
 * zero biases, {@code out_proj.weight} by {@link Linear}'s default; drawn from the constructor's
 * generator ({@code out_proj} first, then {@code in_proj_weight}), which also draws the dropout
 * masks of the attention weights in training mode.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class MultiheadAttention extends MultiModule<MultiheadAttention.Input, MultiheadAttention.Output> {
    private final int embedDim;
    private final int numHeads;
    private final double dropout;
    private final boolean batchFirst;
    private final Random rng;
    private final Parameter inProjWeight;
    private final Parameter inProjBias;
    private final Linear outProj;

    /**
     * The arguments of PyTorch's {@code forward(query, key, value, key_padding_mask, need_weights,
     * attn_mask, average_attn_weights, is_causal)}; build one with {@link #of} or {@link #self} and
     * the {@code with...} methods. Masks may be null.
     * Shallowly immutable (a record).
     *
     * @param query              {@code (L, N, E)}, {@code (N, L, E)} with batch_first, or {@code (L, E)}
     * @param key                {@code (S, N, E)} (likewise)
     * @param value              {@code (S, N, E)} (likewise)
     * @param keyPaddingMask     {@code (N, S)}: BOOL true = a padding key to ignore, or floating (added)
     * @param needWeights        whether to return the attention weights
     * @param attnMask           {@code (L, S)} or {@code (N·num_heads, L, S)}: BOOL true = not allowed, or floating
     * @param averageAttnWeights average the returned weights over the heads
     * @param isCausal           apply the causal mask when {@code attnMask} is null (PyTorch treats it as a hint
     *                           that {@code attnMask} is causal and requires the mask; here the flag alone suffices;
     *                           with a mask given, the mask is used as given)
     */
    public record Input(Variable query, Variable key, Variable value, Variable keyPaddingMask, boolean needWeights,
                        Variable attnMask, boolean averageAttnWeights, boolean isCausal) {

        /** PyTorch's defaults: no masks, weights returned and averaged over heads, not causal. */
        public static Input of(Variable query, Variable key, Variable value) {
            return new Input(query, key, value, null, true, null, true, false);
        }

        /** Self-attention: query, key and value are all {@code x}. */
        public static Input self(Variable x) {
            return of(x, x, x);
        }

        /** This input with {@code key_padding_mask} (BOOL true = ignore that key, or floating). */
        public Input withKeyPaddingMask(Variable mask) {
            return new Input(query, key, value, mask, needWeights, attnMask, averageAttnWeights, isCausal);
        }

        /** This input with {@code attn_mask} (BOOL true = not allowed to attend, or floating). */
        public Input withAttnMask(Variable mask) {
            return new Input(query, key, value, keyPaddingMask, needWeights, mask, averageAttnWeights, isCausal);
        }

        /** This input with {@code need_weights}. */
        public Input withNeedWeights(boolean on) {
            return new Input(query, key, value, keyPaddingMask, on, attnMask, averageAttnWeights, isCausal);
        }

        /** This input with {@code average_attn_weights}. */
        public Input withAverageAttnWeights(boolean on) {
            return new Input(query, key, value, keyPaddingMask, needWeights, attnMask, on, isCausal);
        }

        /** This input with {@code is_causal}. */
        public Input withCausal(boolean on) {
            return new Input(query, key, value, keyPaddingMask, needWeights, attnMask, averageAttnWeights, on);
        }
    }

    /**
     * The attention output (the query's layout, embedding {@code E}) and the weights:
     * {@code (N, L, S)} averaged, {@code (N, num_heads, L, S)} per head (without N when
     * unbatched), or null when not requested.
     * Shallowly immutable (a record).
     *
     * @param output  the attended values after {@code out_proj}
     * @param weights the attention weights (after dropout, as PyTorch), or null
     */
    public record Output(Variable output, Variable weights) {}

    /** {@code embed_dim} split into {@code num_heads} heads, no dropout, with biases, {@code (L, N, E)} layout. */
    public MultiheadAttention(int embedDim, int numHeads, Random rng) {
        this(embedDim, numHeads, 0.0, true, false, rng);
    }

    /**
     * PyTorch's {@code MultiheadAttention(embed_dim, num_heads, dropout, bias, batch_first=batchFirst)};
     * {@code dropout} is the probability of zeroing an attention weight in training mode.
     */
    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst, Random rng) {
        if (embedDim <= 0 || numHeads <= 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim and num_heads must be positive, got embed_dim="
                    + embedDim + ", num_heads=" + numHeads);
        }
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim must be divisible by num_heads, got embed_dim="
                    + embedDim + ", num_heads=" + numHeads + " (choose num_heads among the divisors of embed_dim)");
        }
        Functional.checkProbability(dropout);
        if (rng == null) {
            throw new IllegalArgumentException("MultiheadAttention: a seeded java.util.Random is required for "
                    + "initialization and dropout");
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.rng = rng;
        this.inProjWeight = registerParameter("in_proj_weight", new Parameter(NDArray.zeros(3 * embedDim, embedDim)));
        this.inProjBias = bias ? registerParameter("in_proj_bias", new Parameter(NDArray.zeros(3 * embedDim))) : null;
        this.outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias, null, Init.zeros(), rng));
        Init.xavierUniform().fill(inProjWeight.data(), rng);
    }

    /** PyTorch's {@code forward}: see {@link Input} for the arguments and {@link Output} for the result. */
    @Override
    public Output apply(Input in) {
        String op = "MultiheadAttention";
        Variable query = in.query();
        Variable key = in.key();
        Variable value = in.value();
        if (query == null || key == null || value == null) {
            throw new IllegalArgumentException(op + ": query, key and value must not be null");
        }
        int nd = query.ndim();
        if (nd != 2 && nd != 3 || key.ndim() != nd || value.ndim() != nd) {
            throw new IllegalArgumentException(op + ": expected query, key and value all 3-D (batched) or all 2-D "
                    + "(unbatched), but got query " + Shapes.str(query.shape()) + ", key " + Shapes.str(key.shape())
                    + ", value " + Shapes.str(value.shape()));
        }
        boolean batched = nd == 3;
        boolean selfAttention = query == key && key == value;
        // work in (N, L, E)
        Variable q = toBatchMajor(query, batched);
        Variable k = selfAttention ? q : toBatchMajor(key, batched);
        Variable v = selfAttention ? q : toBatchMajor(value, batched);
        if (q.shape(2) != embedDim || k.shape(2) != embedDim || v.shape(2) != embedDim) {
            throw new IllegalArgumentException(op + ": was expecting embedding dimension of " + embedDim + ", but got query "
                    + Shapes.str(query.shape()) + ", key " + Shapes.str(key.shape()) + ", value " + Shapes.str(value.shape()));
        }
        if (k.shape(0) != q.shape(0) || v.shape(0) != q.shape(0) || k.shape(1) != v.shape(1)) {
            throw new IllegalArgumentException(op + ": the batch sizes of query, key and value must agree and key and value"
                    + " must have the same length S, but got query " + Shapes.str(query.shape()) + ", key "
                    + Shapes.str(key.shape()) + ", value " + Shapes.str(value.shape())
                    + (batchFirst ? " (batch_first: (N, L, E))" : " (batch_first=False: (L, N, E))"));
        }
        int n = q.shape(0);
        int l = q.shape(1);
        int s = k.shape(1);
        int d = embedDim / numHeads;
        // three projections from row blocks of the stacked weight: slicing the (3E, E) weight is
        // cheaper than slicing the (N, L, 3E) activations of one fused product, forward and backward
        Variable qp = project(q, 0);
        Variable kp = project(k, 1);
        Variable vp = project(v, 2);
        qp = heads(qp, n, l, d);
        kp = heads(kp, n, s, d);
        vp = heads(vp, n, s, d);
        Variable mask = mergeMasks(in, n, l, s, batched, query.dtype());
        Attention.Result r = Attention.attention(qp, kp, vp, mask, dropout, false, null, isTraining(), rng);
        Variable out = r.output().permute(0, 2, 1, 3).reshape(n, l, embedDim);
        out = outProj.call(out);
        out = fromBatchMajor(out, batched);
        Variable w = null;
        if (in.needWeights()) {
            w = r.weights();
            if (in.averageAttnWeights()) {
                w = w.mean(new int[] {1}, false);
            }
            if (!batched) {
                w = w.reshape(java.util.Arrays.copyOfRange(w.shape(), 1, w.ndim()));
            }
        }
        return new Output(out, w);
    }

    /** Self-attention of {@code x} without masks; returns the output only (PyTorch's {@code need_weights=False}). */
    public Variable selfAttention(Variable x) {
        return apply(Input.self(x).withNeedWeights(false)).output();
    }

    private Variable toBatchMajor(Variable x, boolean batched) {
        if (!batched) {
            return x.unsqueeze(0);
        }
        return batchFirst ? x : x.transpose(0, 1);
    }

    private Variable fromBatchMajor(Variable x, boolean batched) {
        if (!batched) {
            return x.reshape(x.shape(1), x.shape(2));
        }
        return batchFirst ? x : x.transpose(0, 1);
    }

    /** The query ({@code part} 0), key (1) or value (2) projection, from its block of rows of the stacked weight. */
    private Variable project(Variable x, int part) {
        Variable w = inProjWeight.slice(0, part * embedDim, (part + 1) * embedDim);
        Variable b = inProjBias == null ? null : inProjBias.slice(0, part * embedDim, (part + 1) * embedDim);
        return Functional.linear(x, w, b);
    }

    /** {@code (N, T, E)} to {@code (N, H, T, D)}. */
    private Variable heads(Variable x, int n, int t, int d) {
        return x.reshape(n, t, numHeads, d).permute(0, 2, 1, 3);
    }

    /** The additive mask {@code (N, H, L, S)} (or broadcastable) of both masks and the causal flag, or null. */
    private Variable mergeMasks(Input in, int n, int l, int s, boolean batched, DType dtype) {
        String op = "MultiheadAttention";
        Variable mask = null;
        Variable am = in.attnMask();
        if (am != null) {
            boolean twoD = am.ndim() == 2 && am.shape(0) == l && am.shape(1) == s;
            boolean threeD = am.ndim() == 3 && am.shape(0) == n * numHeads && am.shape(1) == l && am.shape(2) == s;
            if (!twoD && !threeD) {
                throw new IllegalArgumentException(op + ": attn_mask should have shape (L, S) = (" + l + ", " + s
                        + ") or (N*num_heads, L, S) = (" + n * numHeads + ", " + l + ", " + s + "), but got "
                        + Shapes.str(am.shape()));
            }
            mask = additive(op, "attn_mask", am, dtype);
            if (threeD) {
                mask = mask.reshape(n, numHeads, l, s);
            }
        } else if (in.isCausal()) {
            mask = Variable.constant(Attention.squareSubsequentMask(Math.max(l, s)).slice(0, 0, l).slice(1, 0, s)
                    .astype(dtype));
        }
        Variable kpm = in.keyPaddingMask();
        if (kpm != null) {
            boolean ok = batched ? kpm.ndim() == 2 && kpm.shape(0) == n && kpm.shape(1) == s
                    : kpm.ndim() == 1 && kpm.shape(0) == s;
            if (!ok) {
                throw new IllegalArgumentException(op + ": key_padding_mask should have shape "
                        + (batched ? "(N, S) = (" + n + ", " + s + ")" : "(S) = (" + s + ")") + ", but got "
                        + Shapes.str(kpm.shape()));
            }
            Variable p = additive(op, "key_padding_mask", kpm, dtype).reshape(n, 1, 1, s);
            mask = mask == null ? p : mask.add(p);
        }
        return mask;
    }

    /** A BOOL mask (true = masked) as a constant of 0 and -inf; a floating mask as it is. */
    private static Variable additive(String op, String name, Variable m, DType dtype) {
        if (m.dtype() == DType.BOOL) {
            return Variable.constant(NDArray.where(m.data(), NDArray.scalar(Double.NEGATIVE_INFINITY), NDArray.scalar(0.0))
                    .astype(dtype));
        }
        if (!m.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": only bool and floating types of " + name + " are supported, but got "
                    + m.dtype().numpyName() + "; convert it with astype(DType.BOOL)");
        }
        return m;
    }

    /** The embedding size {@code E}. */
    public int embedDim() {
        return embedDim;
    }

    /** The number of heads. */
    public int numHeads() {
        return numHeads;
    }

    /** Whether inputs are {@code (N, L, E)}. */
    public boolean batchFirst() {
        return batchFirst;
    }

    /** The stacked input projection {@code (3E, E)}: query, key, value rows. */
    public Parameter inProjWeight() {
        return inProjWeight;
    }

    /** The stacked input bias {@code (3E)}, or null without bias. */
    public Parameter inProjBias() {
        return inProjBias;
    }

    /** The output projection. */
    public Linear outProj() {
        return outProj;
    }
}
