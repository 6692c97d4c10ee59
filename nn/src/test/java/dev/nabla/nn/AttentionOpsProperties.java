package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.OpCheck;
import dev.nabla.autograd.OpInfo;
import dev.nabla.autograd.Variable;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * First- and second-order gradient properties of every entry of {@link AttentionOps#registry()}:
 * exactly {@link #TRIES_PER_OP} deterministic cases per op and order (exhaustive over (op, k),
 * seeds from {@link OpCheck#seed}), as autograd's OpRegistryProperties does for the core ops.
 */
class AttentionOpsProperties {
    static final int TRIES_PER_OP = 30;

    /** One try: an op and the seed of its k-th case. */
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
        List<OpInfo> ops = AttentionOps.registry();
        return Combinators.combine(Arbitraries.of(ops), Arbitraries.integers().between(0, TRIES_PER_OP - 1)).as(Try::new);
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void firstOrderMatchesCentralDifferences(@ForAll("tries") Try t) {
        OpCheck.Report r = OpCheck.firstOrder(t.op(), t.seed());
        assertTrue(r.passed(), r::toString);
        assertTrue(r.first() != null, "first-order check did not run");
    }

    @Property(generation = GenerationMode.EXHAUSTIVE, tries = 100_000, shrinking = ShrinkingMode.OFF)
    void secondOrderMatchesCentralDifferences(@ForAll("tries") Try t) {
        OpCheck.Report r = OpCheck.secondOrder(t.op(), t.seed());
        assertTrue(r.passed(), r::toString);
        assertTrue(r.second() != null, "second-order check did not run");
    }

    @Example
    void exhaustiveTriesAreExactlyKPerOp() {
        assertEquals((long) AttentionOps.registry().size() * TRIES_PER_OP, tries().exhaustive().orElseThrow().maxCount());
    }

    @Example
    void everyCaseGivesTheShapeOfTheReference() {
        for (OpInfo op : AttentionOps.registry()) {
            for (int k = 0; k < 5; k++) {
                dev.nabla.autograd.OpCase c = op.sample(new java.util.Random(OpCheck.seed(op.name(), k)));
                Variable y = c.apply();
                int[] q = c.inputs()[0].shape();
                int[] v = c.inputs()[2].shape();
                assertEquals(q[q.length - 2], y.shape(-2), op + " " + c);
                assertEquals(v[v.length - 1], y.shape(-1), op + " " + c);
            }
        }
    }
}
