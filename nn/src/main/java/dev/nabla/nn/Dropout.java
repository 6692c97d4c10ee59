package dev.nabla.nn;

import dev.nabla.autograd.Variable;
import java.util.Random;

/**
 * Inverted dropout: in training mode each element is zeroed with probability {@code p} and the
 * rest are scaled by {@code 1/(1-p)}; in evaluation mode it is the identity (the input itself is
 * returned). Masks are drawn from the seeded generator given by the caller, so a run with the same
 * seed drops the same elements. See {@link Functional#dropout}.
 * Not thread-safe, like every {@link Module}: confine it to one thread at a time.
 */
public final class Dropout extends Module {
    private final double p;
    private final Random rng;

    /** Dropout with drop probability {@code p} in [0, 1], drawing masks from {@code rng}. */
    public Dropout(double p, Random rng) {
        Functional.checkProbability(p);
        if (rng == null) {
            throw new IllegalArgumentException("Dropout: a seeded java.util.Random is required to draw masks");
        }
        this.p = p;
        this.rng = rng;
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.dropout(x, p, isTraining(), rng);
    }

    @Override
    protected String extraRepr() {
        return "p=" + Repr.num(p) + ", inplace=False";
    }
}
