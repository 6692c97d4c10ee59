package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.testing.NablaArbitraries;
import dev.nabla.autograd.testing.Seeds;
import dev.nabla.autograd.testing.OpTry;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * First- and second-order gradient properties of every op in {@link Ops#registry()}: exactly
 * {@link #TRIES_PER_OP} deterministic cases per op and order (exhaustive over (op, k), seeds
 * derived from the op name and k), plus a randomized property over ops and seeds.
 */
class OpRegistryProperties {
    /** Deterministic tries per op, for each of the first- and the second-order property. */
    static final int TRIES_PER_OP = 100;

    /** Random (op, seed) tries of the randomized property. */
    static final int RANDOM_TRIES = 500;

    @Provide
    Arbitrary<OpTry> opTries() {
        return NablaArbitraries.opTries(TRIES_PER_OP);
    }

    @Provide
    Arbitrary<OpInfo> ops() {
        return NablaArbitraries.ops();
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void firstOrderMatchesCentralDifferences(@ForAll("opTries") OpTry t) {
        OpCheck.Report r = OpCheck.firstOrder(t.op(), t.seed());
        assertTrue(r.passed(), r::toString);
        assertTrue(r.first() != null, "first-order check did not run");
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void secondOrderMatchesCentralDifferences(@ForAll("opTries") OpTry t) {
        if (!t.op().twiceDifferentiable()) {
            return;
        }
        OpCheck.Report r = OpCheck.secondOrder(t.op(), t.seed());
        assertTrue(r.passed(), r::toString);
        assertTrue(r.second() != null, "second-order check did not run");
    }

    @Property(tries = RANDOM_TRIES, shrinking = ShrinkingMode.OFF)
    void randomCasesPassBothOrders(@ForAll("ops") OpInfo op, @ForAll(supplier = Seeds.class) long seed) {
        OpCheck.Report r = OpCheck.run(op, seed);
        assertTrue(r.passed(), r::toString);
    }

    @Example
    void exhaustiveTriesAreExactlyKPerOp() {
        long count = NablaArbitraries.opTries(TRIES_PER_OP).exhaustive().orElseThrow().maxCount();
        assertEquals((long) Ops.registry().size() * TRIES_PER_OP, count);
    }
}
