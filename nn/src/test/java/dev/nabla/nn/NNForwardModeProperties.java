package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.OpCheck;
import dev.nabla.autograd.OpInfo;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Forward-mode properties of every function in {@link NNOps#registry()} ({@link OpCheck#forwardMode}):
 * the jvp of each drawn case against the reverse-mode vᵀJ and central differences, and forward over
 * reverse against reverse over reverse and central differences of the gradient, in float64;
 * exhaustive over a fixed number of deterministic tries per op.
 */
class NNForwardModeProperties {
    static final int TRIES_PER_OP = 20;
    static final int SECOND_ORDER_TRIES_PER_OP = 8;

    private static Arbitrary<NNOpRegistryProperties.Try> tries(int perOp) {
        List<NNOpRegistryProperties.Try> all = new ArrayList<>();
        for (OpInfo op : NNOps.registry()) {
            for (int k = 0; k < perOp; k++) {
                all.add(new NNOpRegistryProperties.Try(op, k));
            }
        }
        return Arbitraries.of(all);
    }

    @Provide
    Arbitrary<NNOpRegistryProperties.Try> firstOrderTries() {
        return tries(TRIES_PER_OP);
    }

    @Provide
    Arbitrary<NNOpRegistryProperties.Try> secondOrderTries() {
        return tries(SECOND_ORDER_TRIES_PER_OP);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void jvpMatchesReverseModeAndCentralDifferences(@ForAll("firstOrderTries") NNOpRegistryProperties.Try t) {
        OpCheck.Report r = OpCheck.forwardMode(t.op(), t.seed(), true, false);
        assertTrue(r.passed(), r::toString);
        assertTrue(r.first() != null, "forward-mode check did not run");
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void forwardOverReverseMatchesReverseOverReverse(@ForAll("secondOrderTries") NNOpRegistryProperties.Try t) {
        if (!t.op().twiceDifferentiable()) {
            return;
        }
        OpCheck.Report r = OpCheck.forwardMode(t.op(), t.seed(), false, true);
        assertTrue(r.passed(), r::toString);
    }
}
