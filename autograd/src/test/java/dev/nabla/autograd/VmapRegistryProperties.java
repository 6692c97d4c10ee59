package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.testing.NablaArbitraries;
import dev.nabla.autograd.testing.OpTry;
import dev.nabla.autograd.testing.Seeds;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * The vmap property of every op in {@link Ops#registry()} ({@link VmapCheck}): vmap(f) of the stacked
 * per-example inputs equals stacking f over the examples (random batch size 1–4, random in-axis per
 * input, some inputs not batched), and per-example gradients through vmap equal the gradients one
 * example at a time, within 1e-12 relative in float64; exhaustive over {@link #TRIES_PER_OP}
 * deterministic tries per op, plus a randomized property over ops and seeds. Custom Functions are
 * refused under vmap (no per-example fallback), which the property checks instead.
 */
class VmapRegistryProperties {
    /** Deterministic tries per op. */
    static final int TRIES_PER_OP = 30;

    /** Random (op, seed) tries of the randomized property. */
    static final int RANDOM_TRIES = 100;

    @Provide
    Arbitrary<OpTry> opTries() {
        return NablaArbitraries.opTries(TRIES_PER_OP);
    }

    @Provide
    Arbitrary<OpInfo> ops() {
        return NablaArbitraries.ops();
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void vmapEqualsStackingAndPerExampleGradients(@ForAll("opTries") OpTry t) {
        check(t.op(), t.seed());
    }

    @Property(tries = RANDOM_TRIES, shrinking = ShrinkingMode.OFF)
    void randomCasesPass(@ForAll("ops") OpInfo op, @ForAll(supplier = Seeds.class) long seed) {
        check(op, seed);
    }

    /**
     * The check; the registry's sample custom Functions (one FunctionNode) have no batching rule by
     * design, so for them vmap must refuse, naming the Function, rather than loop over the examples.
     */
    private static void check(OpInfo op, long seed) {
        if (op.nodes().contains(FunctionNode.class)) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> VmapCheck.check(op, seed), op.name());
            assertTrue(e.getMessage().startsWith("vmap: the custom Function "), e.getMessage());
            return;
        }
        assertNull(VmapCheck.check(op, seed));
    }

    @Example
    void exhaustiveTriesAreExactlyKPerOp() {
        long count = NablaArbitraries.opTries(TRIES_PER_OP).exhaustive().orElseThrow().maxCount();
        assertEquals((long) Ops.registry().size() * TRIES_PER_OP, count);
    }
}
