package dev.nabla.nn;

import dev.nabla.autograd.Parameter;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Random;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}: index {@code i}
 * maps to row {@code i} of {@code weight}. The lookup is the core's integer-array indexing
 * ({@code getItem}), whose backward scatter-adds the upstream gradient into the rows used (a
 * repeated index accumulates). The weight is initialized N(0, 1) as in PyTorch, from the
 * caller's generator. Not differentiable with respect to the indices.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Embedding extends Module {
    private final Parameter weight;

    /** A table with N(0, 1) initial rows drawn from {@code rng}. */
    public Embedding(int numEmbeddings, int embeddingDim, Random rng) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: num_embeddings and embedding_dim must be positive, got "
                    + numEmbeddings + " and " + embeddingDim);
        }
        if (rng == null) {
            throw new IllegalArgumentException("Embedding: a seeded java.util.Random is required for initialization");
        }
        this.weight = registerParameter("weight", new Parameter(NDArray.randn(rng, numEmbeddings, embeddingDim)));
    }

    /** Rows for the given indices: shape {@code (indices.length, embeddingDim)}. */
    public Variable forward(int... indices) {
        return Functional.embedding(indices, new int[] {indices.length}, weight);
    }

    /**
     * Rows for the ids in an INT64 (or INT32) array of any shape S, as PyTorch's
     * {@code nn.Embedding} takes a long tensor: the result has shape {@code S + (embeddingDim)}.
     * An id outside {@code [0, numEmbeddings)} is refused with a message naming it and the number
     * of embeddings.
     */
    public Variable forward(NDArray ids) {
        return Functional.embedding(ids, weight);
    }

    /**
     * Rows for the ids held in {@code indices} (any shape S; an integer dtype, or integral float
     * values): the result has shape {@code S + (embeddingDim)}. Non-integer or out-of-range values
     * are rejected.
     */
    @Override
    public Variable forward(Variable indices) {
        return Functional.embedding(Functional.indicesOf("Embedding", indices.data()), indices.shape(), weight);
    }

    /** Number of rows. */
    public int numEmbeddings() {
        return weight.shape(0);
    }

    /** Size of each row. */
    public int embeddingDim() {
        return weight.shape(1);
    }

    /** The table of shape {@code (numEmbeddings, embeddingDim)}. */
    public Parameter weight() {
        return weight;
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings() + ", " + embeddingDim();
    }
}
