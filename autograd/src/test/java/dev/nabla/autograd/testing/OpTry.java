package dev.nabla.autograd.testing;

import dev.nabla.autograd.OpCheck;
import dev.nabla.autograd.OpInfo;

/**
 * Try number {@code k} of a registry op, with its seed derived from the op name and k
 * ({@link OpCheck#seed}), so an exhaustive property over tries checks the same cases every run.
 */
public final class OpTry {
    private final OpInfo op;
    private final int k;

    /** Try {@code k} of {@code op}. */
    public OpTry(OpInfo op, int k) {
        this.op = op;
        this.k = k;
    }

    /** The op. */
    public OpInfo op() {
        return op;
    }

    /** The try number. */
    public int k() {
        return k;
    }

    /** The seed of this try. */
    public long seed() {
        return OpCheck.seed(op.name(), k);
    }

    @Override
    public String toString() {
        return op.name() + "#" + k + " (seed " + seed() + ")";
    }
}
