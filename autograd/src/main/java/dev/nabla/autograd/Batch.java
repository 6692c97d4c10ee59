package dev.nabla.autograd;

import dev.nabla.ndarray.Shapes;
import java.util.Arrays;

/**
 * What a batching rule ({@link Node#batch}) gets under {@link Vmap}: the node's inputs at the
 * innermost vmap level, each either batched (its physical value, batch axis first, of the batch
 * {@link #size()}) or not (the input itself, the same for every example), plus helpers to line
 * them up for broadcasting. A rule returns the physical output, batch axis first, built from
 * ordinary Variable operations on these values (which may themselves be batched at an outer level:
 * that is how vmaps nest).
 * Not thread-safe: made for one rule call, on the thread running it.
 */
public final class Batch {
    private final String op;
    private final int size;
    private final Variable[] logical;
    private final Variable[] physical;
    private final boolean[] batched;
    private Variable decomposed;

    Batch(String op, Vmap.Level level, Variable[] xs) {
        this.op = op;
        this.size = level.size;
        this.logical = xs.clone();
        this.physical = new Variable[xs.length];
        this.batched = new boolean[xs.length];
        for (int i = 0; i < xs.length; i++) {
            batched[i] = xs[i].batchLevel() == level;
            physical[i] = batched[i] ? xs[i].physical() : xs[i];
        }
    }

    /** The batch size. */
    public int size() {
        return size;
    }

    /** Number of inputs. */
    public int arity() {
        return logical.length;
    }

    /** Whether input {@code i} is batched at this level (else it is the same for every example). */
    public boolean isBatched(int i) {
        return batched[i];
    }

    /** Input {@code i}'s physical value: batch axis first if {@link #isBatched}, else the input itself. */
    public Variable physical(int i) {
        return physical[i];
    }

    /** Input {@code i}'s logical (per-example) shape. */
    public int[] shape(int i) {
        return logical[i].shape();
    }

    /** Input {@code i}'s logical rank. */
    public int rank(int i) {
        return logical[i].ndim();
    }

    /** The largest logical rank of the inputs. */
    public int maxRank() {
        int r = 0;
        for (Variable x : logical) {
            r = Math.max(r, x.ndim());
        }
        return r;
    }

    /**
     * Input {@code i} lined up for a broadcasting op of logical rank {@code rank}: a batched input
     * reshaped to {@code (B, 1, ..., 1, shape)} with {@code rank} axes after the batch axis, so it
     * broadcasts as its logical value would; an unbatched one as it is (it broadcasts from the right).
     */
    public Variable aligned(int i, int rank) {
        if (!batched[i]) {
            return physical[i];
        }
        int[] s = shape(i);
        if (s.length == rank) {
            return physical[i];
        }
        int[] t = new int[rank + 1];
        Arrays.fill(t, 1);
        t[0] = size;
        System.arraycopy(s, 0, t, rank + 1 - s.length, s.length);
        return physical[i].reshape(t);
    }

    /** Input {@code i} with the batch axis materialized: {@code (B, shape)} (an unbatched input broadcast). */
    public Variable expanded(int i) {
        if (batched[i]) {
            return physical[i];
        }
        return physical[i].unsqueeze(0).broadcastTo(withBatch(shape(i)));
    }

    /** {@code (B, shape...)}. */
    public int[] withBatch(int... shape) {
        int[] t = new int[shape.length + 1];
        t[0] = size;
        System.arraycopy(shape, 0, t, 1, shape.length);
        return t;
    }

    /**
     * Input {@code i} with the batch axis merged into its first logical axis: {@code (B * n, rest)}
     * from {@code (B, n, rest)} (a batched input of rank at least 1), for ops that already map over
     * a leading axis (convolutions over N, say).
     */
    public Variable folded(int i) {
        int[] s = shape(i);
        if (s.length == 0) {
            throw new IllegalArgumentException(op + ": cannot fold the batch axis into a 0-d input under vmap");
        }
        int[] t = s.clone();
        t[0] *= size;
        return expanded(i).reshape(t);
    }

    /** Splits the first axis of a physical result {@code (B * n, rest)} back into {@code (B, n, rest)}. */
    public Variable unfolded(Variable y) {
        int[] s = y.shape();
        int[] t = new int[s.length + 1];
        t[0] = size;
        t[1] = s[0] / size;
        System.arraycopy(s, 1, t, 2, s.length - 1);
        return y.reshape(t);
    }

    /** Logical axes (null: all of a rank-{@code rank} input) as physical ones: normalized and shifted past the batch axis. */
    public static int[] shift(int[] axes, int rank) {
        int[] ax = Shapes.axes("vmap", axes, rank);
        int[] out = new int[ax.length];
        for (int i = 0; i < ax.length; i++) {
            out[i] = ax[i] + 1;
        }
        return out;
    }

    /** A logical axis (negative counts from the end of a rank-{@code rank} value) as a physical one. */
    public static int shift(int axis, int rank) {
        return Shapes.axis("vmap", axis, rank) + 1;
    }

    /** Input {@code i} itself: the logical (per-example) value, batched or not, as the node received it. */
    public Variable logical(int i) {
        return logical[i];
    }

    /**
     * Marks {@code y} as the rule's result computed on the <em>logical</em> inputs ({@link #logical})
     * by other ops (a decomposition, as JAX's): the node then records nothing itself, since the ops
     * that built {@code y} recorded their own nodes and propagated their own tangents. For an op
     * whose backward needs per-example state (a data-dependent index) that a single node cannot hold.
     * Returns {@code y}, for {@code return b.decomposed(...)}.
     */
    public Variable decomposed(Variable y) {
        if (y == null) {
            throw new IllegalArgumentException(op + ": the decomposition returned null");
        }
        decomposed = y;
        return y;
    }

    /** The decomposition's result, or null when the rule returned a physical value. */
    Variable decomposedResult() {
        return decomposed;
    }

    /** The error for an op that cannot run on batched values, naming it and the reason. */
    public IllegalStateException refuse(String why) {
        return new IllegalStateException("vmap: " + op + " " + why);
    }
}
