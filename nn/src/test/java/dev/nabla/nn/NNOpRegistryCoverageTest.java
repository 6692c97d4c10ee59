package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Node;
import dev.nabla.autograd.OpCase;
import dev.nabla.autograd.OpCheck;
import dev.nabla.autograd.OpInfo;
import dev.nabla.autograd.RecordedNodes;
import dev.nabla.autograd.Variable;
import org.junit.jupiter.api.Test;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The nn registry is complete by construction: every public function of {@link Functional} that
 * returns a {@link Variable} (or an LSTM state) has an {@link NNOps} entry of its name, names are
 * unique, and the same seed draws the same case.
 */
class NNOpRegistryCoverageTest {
    /** Functions without an entry, each with the reason. */
    private static final Set<String> EXEMPT = Set.of(
            "step" // the Heaviside step has no gradient by definition; its backward refuses to run (StepTest)
    );

    @Test
    void everyDifferentiableFunctionHasAnEntry() {
        Set<String> names = new HashSet<>();
        for (OpInfo op : NNOps.registry()) {
            assertTrue(names.add(op.name()), "duplicate nn op name " + op.name());
        }
        Set<String> missing = new TreeSet<>();
        for (Method m : Functional.class.getDeclaredMethods()) {
            boolean differentiable = m.getReturnType() == Variable.class || m.getReturnType() == LSTMState.class;
            if (Modifier.isPublic(m.getModifiers()) && differentiable && !EXEMPT.contains(m.getName())
                    && !names.contains(m.getName())) {
                missing.add(m.getName());
            }
        }
        assertTrue(missing.isEmpty(), "Functional functions without an NNOps entry: " + missing);
    }

    @Test
    void everyOpRecordsTheNodesItDeclares() {
        for (OpInfo op : NNOps.registry()) {
            for (int k = 0; k < 10; k++) {
                OpCase c = op.sample(new Random(OpCheck.seed(op.name(), k)));
                Set<Class<? extends Node>> got = RecordedNodes.of(c.apply());
                for (Class<? extends Node> n : op.nodes()) {
                    assertTrue(got.contains(n), op.name() + " " + c + " does not record " + n.getSimpleName() + ": " + got);
                }
            }
        }
    }

    /** Every Node subclass declared in nn's sources (top level or nested) overrides the tangent rule. */
    @Test
    void everyNodeSubclassDeclaresATangentRule() throws Exception {
        java.util.List<Class<?>> nodes = NodeSources.nodeClasses();
        Set<String> missing = NodeSources.lacking(nodes, "tangent", Variable[].class);
        assertTrue(nodes.size() >= 11, "the scan found only " + nodes.size() + " Node subclasses under "
                + NodeSources.ROOT.toAbsolutePath());
        assertTrue(missing.isEmpty(), "nn Node subclasses without a tangent rule: " + missing);
    }

    @Test
    void sameSeedDrawsTheSameCase() {
        for (OpInfo op : NNOps.registry()) {
            OpCase a = op.sample(new Random(OpCheck.seed(op.name(), 3)));
            OpCase b = op.sample(new Random(OpCheck.seed(op.name(), 3)));
            assertEquals(a.toString(), b.toString(), op.name());
            assertEquals(a.apply().data(), b.apply().data(), op.name());
        }
    }
}
