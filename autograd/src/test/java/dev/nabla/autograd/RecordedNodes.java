package dev.nabla.autograd;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Test helper for nn's registries: the node classes recorded in a graph (it lives in autograd's
 * package because a node's inputs are package-private).
 */
public final class RecordedNodes {
    private RecordedNodes() {}

    /** Node classes recorded in the graph behind {@code y}, walked without recursion. */
    public static Set<Class<? extends Node>> of(Variable y) {
        Set<Class<? extends Node>> out = new HashSet<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        Deque<Variable> stack = new ArrayDeque<>();
        stack.push(y);
        while (!stack.isEmpty()) {
            Node c = stack.pop().creator();
            if (c != null && seen.put(c, Boolean.TRUE) == null) {
                out.add(c.getClass());
                for (Variable x : c.inputs()) {
                    stack.push(x);
                }
            }
        }
        return out;
    }
}
