package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Batch;
import dev.nabla.autograd.OpInfo;
import dev.nabla.autograd.VmapCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Example;

/**
 * The vmap property of every function in {@link NNOps#registry()} ({@link VmapCheck}): vmap(f) of
 * stacked per-example inputs (random batch size 1–4, random in-axis, some inputs not batched) equals
 * stacking f over the examples, and per-example gradients through vmap equal the gradients one
 * example at a time, within 1e-12 relative in float64; exhaustive over {@link #TRIES_PER_OP}
 * deterministic tries per op (the random ops must be refused instead). Also: every nn Node subclass declares its batching rule.
 */
class NNVmapTest {
    static final int TRIES_PER_OP = 16;

    @Provide
    Arbitrary<NNOpRegistryProperties.Try> tries() {
        List<NNOpRegistryProperties.Try> all = new ArrayList<>();
        for (OpInfo op : NNOps.registry()) {
            for (int k = 0; k < TRIES_PER_OP; k++) {
                all.add(new NNOpRegistryProperties.Try(op, k));
            }
        }
        return Arbitraries.of(all);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void vmapEqualsStackingAndPerExampleGradients(@ForAll("tries") NNOpRegistryProperties.Try t) {
        if (RANDOM.contains(t.op().name())) {
            // random ops are refused under vmap (functorch's randomness='error'), naming the op
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> VmapCheck.check(t.op(), t.seed()));
            assertTrue(e.getMessage().startsWith("vmap: called random operation dropout"), e.getMessage());
            return;
        }
        assertNull(VmapCheck.check(t.op(), t.seed()));
    }

    /** The registry entries that draw random numbers (training-mode dropout). */
    static final Set<String> RANDOM = Set.of("dropout", "scaledDotProductAttentionDropout");

    /** Every Node subclass declared in nn's sources (top level or nested) overrides the batching rule. */
    @Example
    void everyNodeSubclassDeclaresABatchingRule() throws Exception {
        java.util.List<Class<?>> nodes = NodeSources.nodeClasses();
        Set<String> missing = NodeSources.lacking(nodes, "batch", Batch.class);
        assertTrue(nodes.size() >= 11, "the scan found only " + nodes.size() + " Node subclasses under "
                + NodeSources.ROOT.toAbsolutePath());
        assertTrue(missing.isEmpty(), "nn Node subclasses without a batching rule: " + missing
                + " — override protected Variable batch(Batch b) beside tangent");
    }
}
