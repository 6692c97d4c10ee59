package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.testing.NablaArbitraries;
import dev.nabla.autograd.testing.OpTry;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Forward-mode properties of every op in {@link Ops#registry()} ({@link OpCheck#forwardMode}): the
 * jvp of each drawn case against the reverse-mode vᵀJ (⟨u, Jv⟩ = ⟨Jᵀu, v⟩) and central differences,
 * and forward over reverse against reverse over reverse, reverse over forward and central
 * differences, in float64; exhaustive over {@link #TRIES_PER_OP} deterministic tries per op (the
 * second order over {@link #SECOND_ORDER_TRIES_PER_OP}: it runs three Hessian-vector products and
 * two gradients per try).
 */
class ForwardModeRegistryProperties {
    /** Deterministic tries per op of the first-order property. */
    static final int TRIES_PER_OP = 100;

    /** Deterministic tries per op of the second-order property. */
    static final int SECOND_ORDER_TRIES_PER_OP = 50;

    @Provide
    Arbitrary<OpTry> opTries() {
        return NablaArbitraries.opTries(TRIES_PER_OP);
    }

    @Provide
    Arbitrary<OpTry> secondOrderTries() {
        return NablaArbitraries.opTries(SECOND_ORDER_TRIES_PER_OP);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void jvpMatchesReverseModeAndCentralDifferences(@ForAll("opTries") OpTry t) {
        OpCheck.Report r = OpCheck.forwardMode(t.op(), t.seed(), true, false);
        assertTrue(r.passed(), r::toString);
        assertTrue(r.first() != null, "forward-mode check did not run");
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void forwardOverReverseMatchesReverseOverReverse(@ForAll("secondOrderTries") OpTry t) {
        if (!t.op().twiceDifferentiable()) {
            return;
        }
        OpCheck.Report r = OpCheck.forwardMode(t.op(), t.seed(), false, true);
        assertTrue(r.passed(), r::toString);
        assertTrue(r.second() != null, "forward-over-reverse check did not run");
    }

    @Example
    void exhaustiveTriesAreExactlyKPerOp() {
        long count = NablaArbitraries.opTries(TRIES_PER_OP).exhaustive().orElseThrow().maxCount();
        assertEquals((long) Ops.registry().size() * TRIES_PER_OP, count);
    }
}
