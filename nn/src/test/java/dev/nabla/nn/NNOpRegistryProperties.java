package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.OpCheck;
import dev.nabla.autograd.OpInfo;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * First- and second-order gradient properties (vᵀJ against float64 central differences, every
 * input's gradient shape) of every function in {@link NNOps#registry()}: exactly
 * {@link #TRIES_PER_OP} deterministic cases per op and order, seeds derived from the op's name.
 */
class NNOpRegistryProperties {
    static final int TRIES_PER_OP = 40;

    /** One (op, k) pair of the exhaustive enumeration. */
    record Try(OpInfo op, int k) {
        long seed() {
            return OpCheck.seed(op.name(), k);
        }

        @Override
        public String toString() {
            return op.name() + " #" + k;
        }
    }

    @Provide
    Arbitrary<Try> tries() {
        List<Try> all = new ArrayList<>();
        for (OpInfo op : NNOps.registry()) {
            for (int k = 0; k < TRIES_PER_OP; k++) {
                all.add(new Try(op, k));
            }
        }
        return Arbitraries.of(all);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void firstOrderMatchesCentralDifferences(@ForAll("tries") Try t) {
        OpCheck.Report r = OpCheck.firstOrder(t.op(), t.seed());
        assertTrue(r.passed(), r::toString);
        assertTrue(r.first() != null, "first-order check did not run");
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void secondOrderMatchesCentralDifferences(@ForAll("tries") Try t) {
        if (!t.op().twiceDifferentiable()) {
            return;
        }
        OpCheck.Report r = OpCheck.secondOrder(t.op(), t.seed());
        assertTrue(r.passed(), r::toString);
        assertTrue(r.second() != null, "second-order check did not run");
    }
}
