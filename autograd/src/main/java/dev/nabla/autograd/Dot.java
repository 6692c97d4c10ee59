package dev.nabla.autograd;

import dev.nabla.ndarray.Shapes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Exports a computation graph to Graphviz DOT, as DeZero's {@code plot_dot_graph} does: every
 * variable is an ellipse labelled with its name (and, verbose, its shape and dtype), every
 * recorded operation a box labelled with its {@link Node#name()}, with edges input → op → output.
 * Render the text with {@code dot -Tpng graph.dot -o graph.png}. Export before {@code backward()}
 * (or back-propagate with {@code retainGraph}): a backward pass frees the graph.
 * Stateless and thread-safe; the graph must not be freed (by a backward pass without retainGraph)
 * on another thread while it is exported.
 */
public final class Dot {
    private Dot() {}

    /** The DOT text of the graph that produced {@code output}, walked backward without recursion. */
    public static String toDot(Variable output, boolean verbose) {
        Map<Object, Integer> ids = new IdentityHashMap<>();
        StringBuilder sb = new StringBuilder("digraph g {\n");
        sb.append(variable(output, verbose, id(ids, output)));
        // nodes in descending generation (ties in discovery order) so the text is deterministic
        PriorityQueue<Node> queue = new PriorityQueue<>((a, b) -> a.generation != b.generation
                ? Integer.compare(b.generation, a.generation) : Integer.compare(ids.get(a), ids.get(b)));
        Map<Node, Boolean> queued = new IdentityHashMap<>();
        enqueue(output.creator(), queue, queued, ids);
        while (!queue.isEmpty()) {
            Node f = queue.poll();
            int fid = ids.get(f);
            sb.append(op(f, fid));
            Variable y = f.outputVariable();
            Variable[] xs = f.inputs();
            if (f.isReleased() || y == null || xs == null) {
                throw new IllegalStateException("toDot: the graph through " + f.name() + " was freed by a backward "
                        + "pass; export it before backward() or call backward with retainGraph=true");
            }
            Variable[] ys = f.outputVariables() == null ? new Variable[] {y} : f.outputVariables();
            for (Variable o : ys) { // a Function's node has several outputs
                boolean first = !ids.containsKey(o);
                int oid = id(ids, o);
                if (first) {
                    sb.append(variable(o, verbose, oid));
                }
                sb.append("  ").append(fid).append(" -> ").append(oid).append('\n');
            }
            for (Variable x : xs) {
                boolean first = !ids.containsKey(x);
                int xid = id(ids, x);
                if (first) {
                    sb.append(variable(x, verbose, xid));
                }
                sb.append("  ").append(xid).append(" -> ").append(fid).append('\n');
                enqueue(x.creator(), queue, queued, ids);
            }
        }
        return sb.append("}\n").toString();
    }

    /**
     * Writes {@link #toDot} to {@code file} atomically: a temporary file in the same directory,
     * then a rename, so a reader never sees a half-written graph.
     */
    public static void write(Variable output, boolean verbose, Path file) throws IOException {
        dev.nabla.ndarray.io.AtomicFiles.writeString(file, toDot(output, verbose));
    }

    private static int id(Map<Object, Integer> ids, Object o) {
        return ids.computeIfAbsent(o, k -> ids.size());
    }

    private static void enqueue(Node f, PriorityQueue<Node> queue, Map<Node, Boolean> queued, Map<Object, Integer> ids) {
        if (f != null && queued.put(f, Boolean.TRUE) == null) {
            id(ids, f);
            queue.add(f);
        }
    }

    private static String variable(Variable v, boolean verbose, int id) {
        List<String> parts = new ArrayList<>();
        if (v.name() != null) {
            parts.add(v.name());
        }
        if (verbose) {
            parts.add(Shapes.str(v.shape()) + " " + v.data().dtype().name().toLowerCase(java.util.Locale.ROOT));
        }
        String label = String.join(": ", parts);
        return "  " + id + " [label=\"" + escape(label) + "\", color=orange, style=filled]\n";
    }

    private static String op(Node f, int id) {
        return "  " + id + " [label=\"" + escape(f.name()) + "\", color=lightblue, style=filled, shape=box]\n";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
