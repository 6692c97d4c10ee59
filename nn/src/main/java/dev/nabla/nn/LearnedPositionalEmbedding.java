package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Random;

/**
 * A trained positional embedding (as GPT's {@code wpe}): a parameter {@code weight} of shape
 * {@code (max_len, d_model)} whose row {@code p} is added to the input at position {@code p}.
 * Initialized N(0, std²) from the caller's generator (std 1 as {@code nn.Embedding} by default;
 * GPT-2 uses 0.02). Layout {@code (L, N, E)}, {@code (N, L, E)} with {@code batchFirst}, or
 * {@code (L, E)}.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class LearnedPositionalEmbedding extends Module {
    private final int maxLen;
    private final int dModel;
    private final boolean batchFirst;
    private final Parameter weight;

    /** Rows drawn N(0, 1), as {@code nn.Embedding}'s. */
    public LearnedPositionalEmbedding(int maxLen, int dModel, boolean batchFirst, Random rng) {
        this(maxLen, dModel, batchFirst, 1.0, rng);
    }

    /** Rows drawn N(0, std²) from {@code rng}. */
    public LearnedPositionalEmbedding(int maxLen, int dModel, boolean batchFirst, double std, Random rng) {
        if (dModel <= 0 || maxLen <= 0) {
            throw new IllegalArgumentException("LearnedPositionalEmbedding: max_len and d_model must be positive, got "
                    + "max_len=" + maxLen + ", d_model=" + dModel);
        }
        if (rng == null) {
            throw new IllegalArgumentException("LearnedPositionalEmbedding: a seeded java.util.Random is required for "
                    + "initialization");
        }
        this.maxLen = maxLen;
        this.dModel = dModel;
        this.batchFirst = batchFirst;
        this.weight = registerParameter("weight", new Parameter(NDArray.zeros(maxLen, dModel)));
        Init.normal(std).fill(weight.data(), rng);
    }

    /** {@code x + weight[:L]}. */
    @Override
    public Variable forward(Variable x) {
        int l = PositionalLayout.length("LearnedPositionalEmbedding", x, batchFirst, maxLen, dModel);
        return PositionalLayout.add(x, l == maxLen ? weight : weight.slice(0, 0, l), batchFirst);
    }

    /** The table {@code (max_len, d_model)}. */
    public Parameter weight() {
        return weight;
    }

    @Override
    protected String extraRepr() {
        return maxLen + ", " + dModel + ", batch_first=" + Repr.bool(batchFirst);
    }
}
