package dev.nabla.nn;

import dev.nabla.autograd.F;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import dev.nabla.ndarray.Shapes;
import java.util.Random;

/**
 * Scaled dot-product attention with the semantics of PyTorch's
 * {@code torch.nn.functional.scaled_dot_product_attention}:
 * {@code softmax(q kᵀ · scale + bias) v}, built from differentiable primitives (batched
 * {@code matmul}, {@code softmax}, {@code where}), so it is differentiable to any order with
 * respect to {@code q}, {@code k}, {@code v} and a float mask.
 *
 * <p>Masks follow PyTorch's {@code scaled_dot_product_attention}: a BOOL mask marks with
 * {@code true} the positions that <em>take part</em> (false positions get {@code -inf} before the
 * softmax); a floating mask is added to the scores. {@code isCausal} keeps key {@code j} for query
 * {@code i} only when {@code j <= i} (the top-left aligned lower triangle, as PyTorch). Note that
 * {@link MultiheadAttention}'s masks use the opposite convention, as PyTorch's do.
 *
 * <p>Fully masked rows: a query row whose scores are all {@code -inf} gets attention weights 0,
 * so its output is 0 and no NaN reaches the backward pass. This is what PyTorch's
 * {@code scaled_dot_product_attention} does since 2.5 (its {@code _safe_softmax}); its older
 * releases, and {@code nn.MultiheadAttention} with {@code need_weights=True}, return NaN there.
 * Stateless and thread-safe.
 */
public final class Attention {
    private Attention() {}

    /**
     * Attention output and the attention weights it used (after dropout), as
     * {@code nn.MultiheadAttention} returns them.
     * Shallowly immutable (a record): the Variables follow Variable's rules.
     *
     * @param output  {@code (..., L, Ev)}
     * @param weights {@code (..., L, S)}
     */
    public record Result(Variable output, Variable weights) {}

    /**
     * {@code softmax(q kᵀ / √E) v} without mask, dropout or causality: {@code q (..., L, E)},
     * {@code k (..., S, E)}, {@code v (..., S, Ev)} give {@code (..., L, Ev)} (batch axes broadcast).
     */
    static Variable scaledDotProductAttention(Variable query, Variable key, Variable value) {
        return scaledDotProductAttention(query, key, value, null, 0.0, false, null, false, null);
    }

    /**
     * With a mask ({@code attnMask}: BOOL, true = take part, or floating, added; null for none) and
     * the causal flag; no dropout, scale {@code 1/√E}.
     */
    static Variable scaledDotProductAttention(Variable query, Variable key, Variable value, Variable attnMask,
                                                     boolean isCausal) {
        return scaledDotProductAttention(query, key, value, attnMask, 0.0, isCausal, null, false, null);
    }

    /**
     * PyTorch's {@code scaled_dot_product_attention(query, key, value, attn_mask, dropout_p,
     * is_causal, scale)} plus the training flag and the dropout generator:
     * <ul>
     *   <li>{@code query (..., L, E)}, {@code key (..., S, E)}, {@code value (..., S, Ev)}; batch
     *       axes broadcast; the result is {@code (..., L, Ev)}.</li>
     *   <li>{@code attnMask}: null, BOOL (true = take part) or floating (added to the scores),
     *       broadcastable to {@code (..., L, S)}; not together with {@code isCausal}.</li>
     *   <li>{@code dropoutP}: the probability of zeroing an attention weight, applied only when
     *       {@code training} (PyTorch applies {@code dropout_p} whenever it is positive; pass
     *       {@code training = true} for that), drawing from {@code rng} as {@link Functional#dropout}.</li>
     *   <li>{@code scale}: the factor of {@code q kᵀ}; null means {@code 1/√E}.</li>
     * </ul>
     *
     * @throws IllegalArgumentException on mismatched shapes, a mask of the wrong dtype or shape,
     *     a mask with {@code isCausal}, a probability outside [0, 1] or a missing generator
     */
    static Variable scaledDotProductAttention(Variable query, Variable key, Variable value, Variable attnMask,
                                                     double dropoutP, boolean isCausal, Double scale, boolean training,
                                                     Random rng) {
        return attention(query, key, value, attnMask, dropoutP, isCausal, scale, training, rng).output();
    }

    /**
     * The same computation as {@link #scaledDotProductAttention(Variable, Variable, Variable,
     * Variable, double, boolean, Double, boolean, Random)}, returning the attention weights
     * {@code (..., L, S)} (after dropout) beside the output.
     */
    public static Result attention(Variable query, Variable key, Variable value, Variable attnMask, double dropoutP,
                                   boolean isCausal, Double scale, boolean training, Random rng) {
        String op = "scaled_dot_product_attention";
        checkShapes(op, query, key, value);
        Functional.checkProbability(dropoutP);
        if (training && dropoutP > 0 && rng == null) {
            throw new IllegalArgumentException(op + ": dropout_p=" + dropoutP + " in training needs a seeded "
                    + "java.util.Random to draw the dropout masks; pass one (or dropout_p=0)");
        }
        if (isCausal && attnMask != null) {
            throw new IllegalArgumentException(op + ": Explicit attn_mask should not be set when is_causal=True; pass "
                    + "either the mask or is_causal (combine them into one mask yourself if both are needed)");
        }
        int e = query.shape(-1);
        int l = query.shape(-2);
        int s = key.shape(-2);
        double factor = scale != null ? scale : 1.0 / Math.sqrt(e);
        if (scale != null && !Double.isFinite(scale)) {
            throw new IllegalArgumentException(op + ": scale must be finite, got " + scale);
        }
        // the scale goes on the query, (..., L, E), rather than on the scores, (..., L, S): the same
        // product, one pass over the smaller array
        Variable scores = query.mul(factor).matmul(key, false, true);
        if (isCausal) {
            scores = scores.maskedFill(causalMask(l, s).logicalNot(), Double.NEGATIVE_INFINITY);
        }
        if (attnMask != null) {
            checkMask(op, attnMask, scores.shape());
            if (attnMask.dtype() == DType.BOOL) {
                // masked_fill(~mask, -inf); the mask may be per example under vmap
                scores = F.where(attnMask, scores, Variable.constant(Double.NEGATIVE_INFINITY, scores.dtype()));
            } else {
                scores = scores.add(attnMask);
            }
        }
        Variable weights = safeSoftmax(scores);
        weights = Functional.dropout(weights, dropoutP, training, rng);
        return new Result(weights.matmul(value), weights);
    }

    /**
     * Softmax over the last axis, with weights 0 on rows whose scores are all {@code -inf}
     * (PyTorch's {@code _safe_softmax}); such rows are replaced by zeros before the softmax, so
     * neither the forward nor the backward pass sees NaN. The row maxima that stabilise the
     * softmax also tell which rows are fully masked (a maximum of {@code -inf}).
     */
    static Variable safeSoftmax(Variable scores) {
        int[] last = {scores.ndim() - 1};
        Variable max = dev.nabla.autograd.Vmap.constant(k -> a -> a[0].max(new int[] {last[0] + k}, true), scores);
        Variable dead = max.eq(Double.NEGATIVE_INFINITY); // BOOL, per example under vmap
        boolean anyDead = false;
        NDArray all = dev.nabla.autograd.Vmap.values(dead);
        for (int i = 0; i < all.size() && !anyDead; i++) {
            anyDead = all.getFlat(i) != 0;
        }
        if (!anyDead) {
            Variable e = scores.sub(max).exp();
            return e.div(e.sum(last, true));
        }
        Variable zero = Variable.constant(0.0, scores.dtype());
        return F.where(dead, zero, F.softmax(F.where(dead, zero, scores), -1));
    }

    /**
     * The causal mask of PyTorch's {@code is_causal}: BOOL {@code (L, S)}, true where key {@code j}
     * may be attended by query {@code i}, i.e. {@code j <= i}.
     */
    public static NDArray causalMask(int l, int s) {
        if (l < 0 || s < 0) {
            throw new IllegalArgumentException("causalMask: sizes must be >= 0, got L=" + l + ", S=" + s);
        }
        boolean[] m = new boolean[l * s];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j <= Math.min(i, s - 1); j++) {
                m[i * s + j] = true;
            }
        }
        return NDArray.of(m, l, s);
    }

    /**
     * PyTorch's {@code nn.Transformer.generate_square_subsequent_mask(size)}: a float64
     * {@code (size, size)} additive mask, 0 on and below the diagonal and {@code -inf} above, for
     * {@link MultiheadAttention} and the transformer layers (where float masks are added).
     */
    public static NDArray squareSubsequentMask(int size) {
        return NDArray.where(causalMask(size, size), NDArray.scalar(0.0), NDArray.scalar(Double.NEGATIVE_INFINITY))
                .astype(DType.FLOAT64);
    }

    private static void checkShapes(String op, Variable q, Variable k, Variable v) {
        if (q == null || k == null || v == null) {
            throw new IllegalArgumentException(op + ": query, key and value must not be null");
        }
        if (q.ndim() < 2 || k.ndim() < 2 || v.ndim() < 2) {
            throw new IllegalArgumentException(op + ": expected query (..., L, E), key (..., S, E) and value (..., S, Ev) "
                    + "with at least 2 dimensions each, but got " + shapes(q, k, v));
        }
        if (!q.dtype().isFloatingPoint() || !k.dtype().isFloatingPoint() || !v.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": query, key and value must be floating point, but got dtypes "
                    + q.dtype().numpyName() + ", " + k.dtype().numpyName() + ", " + v.dtype().numpyName());
        }
        if (q.shape(-1) != k.shape(-1)) {
            throw new IllegalArgumentException(op + ": the last dimension of query (E=" + q.shape(-1) + ") must equal "
                    + "that of key (E=" + k.shape(-1) + "), but got " + shapes(q, k, v));
        }
        if (k.shape(-2) != v.shape(-2)) {
            throw new IllegalArgumentException(op + ": key and value must have the same sequence length S (dimension -2),"
                    + " but got " + shapes(q, k, v));
        }
        int[] qb = java.util.Arrays.copyOf(q.shape(), q.ndim() - 2);
        int[] kb = java.util.Arrays.copyOf(k.shape(), k.ndim() - 2);
        int[] vb = java.util.Arrays.copyOf(v.shape(), v.ndim() - 2);
        try {
            Shapes.broadcast(op, Shapes.broadcast(op, qb, kb), vb);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(op + ": the batch dimensions of query, key and value must broadcast "
                    + "together, but got " + shapes(q, k, v), ex);
        }
    }

    private static void checkMask(String op, Variable mask, int[] scoreShape) {
        if (mask.dtype() != DType.BOOL && !mask.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": attn_mask must be bool (true = take part) or floating point "
                    + "(added to the scores), but got dtype " + mask.dtype().numpyName() + "; convert it with astype");
        }
        if (!Shapes.broadcastable(mask.shape(), scoreShape)) {
            throw new IllegalArgumentException(op + ": attn_mask of shape " + Shapes.str(mask.shape()) + " cannot be "
                    + "broadcast to the attention scores of shape " + Shapes.str(scoreShape) + " (..., L, S)");
        }
    }

    private static String shapes(Variable q, Variable k, Variable v) {
        return "query " + Shapes.str(q.shape()) + ", key " + Shapes.str(k.shape()) + ", value " + Shapes.str(v.shape());
    }
}
