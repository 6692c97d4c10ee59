package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No op lacks a batching rule: every concrete {@link Node} subclass declared in the autograd sources
 * overrides {@link Node#batch} itself (found by loading each source file's class and its nested
 * classes, cross-checked against {@link OpRegistryCoverageTest}'s textual scan). The one node of
 * custom Functions, {@link FunctionNode}, declares a rule that refuses (no per-example fallback).
 */
class VmapCoverageTest {
    @Test
    void everyNodeSubclassDeclaresABatchingRule() throws Exception {
        Set<String> nodes = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        for (Class<?> c : ForwardModeCoverageTest.sourceClasses()) {
            if (Node.class.isAssignableFrom(c) && c != Node.class && !Modifier.isAbstract(c.getModifiers())) {
                nodes.add(c.getSimpleName());
                try {
                    c.getDeclaredMethod("batch", Batch.class);
                } catch (NoSuchMethodException e) {
                    missing.add(c.getSimpleName());
                }
            }
        }
        assertEquals(OpRegistryCoverageTest.nodeSubclassesInSources(), nodes, "the reflective and textual scans differ");
        assertTrue(nodes.size() >= 30, "found only " + nodes);
        assertTrue(missing.isEmpty(), "Node subclasses without a batching rule: " + missing
                + " — override protected Variable batch(Batch b) beside tangent");
    }
}
