package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graphviz export of a small graph, like DeZero's plot_dot_graph. */
class DotTest {

    private static Variable smallGraph() {
        Variable x = new Variable(NDArray.ones(2, 3), true).named("x");
        Variable w = new Variable(NDArray.ones(2, 3), true).named("w");
        Variable b = new Variable(NDArray.ones(3), true).named("b");
        return x.mul(w).add(b).named("y");
    }

    @Test
    void exportsVariablesOpsAndEdges() {
        String expected = "digraph g {\n"
                + "  0 [label=\"y\", color=orange, style=filled]\n"
                + "  1 [label=\"Add\", color=lightblue, style=filled, shape=box]\n"
                + "  1 -> 0\n"
                + "  2 [label=\"\", color=orange, style=filled]\n"
                + "  2 -> 1\n"
                + "  4 [label=\"b\", color=orange, style=filled]\n"
                + "  4 -> 1\n"
                + "  3 [label=\"Mul\", color=lightblue, style=filled, shape=box]\n"
                + "  3 -> 2\n"
                + "  5 [label=\"x\", color=orange, style=filled]\n"
                + "  5 -> 3\n"
                + "  6 [label=\"w\", color=orange, style=filled]\n"
                + "  6 -> 3\n"
                + "}\n";
        assertEquals(expected, Dot.toDot(smallGraph(), false));
    }

    @Test
    void verboseAddsShapesAndDtype() {
        String dot = Dot.toDot(smallGraph(), true);
        assertTrue(dot.contains("[label=\"y: (2, 3) float64\""), dot);
        assertTrue(dot.contains("[label=\"b: (3,) float64\""), dot);
        assertTrue(dot.contains("[label=\"(2, 3) float64\""), dot); // the unnamed intermediate
    }

    @Test
    void sharedSubgraphsAppearOnce() {
        Variable x = Variable.scalar(2).named("x");
        Variable s = x.square();
        Variable y = s.add(s).mul(s);
        String dot = Dot.toDot(y, false);
        assertEquals(1, count(dot, "label=\"Pow\""));
        assertEquals(1, count(dot, "label=\"x\""));
        assertEquals(1, count(dot, "label=\"Add\""));
        // x->Pow, Pow->s, s->Add twice, Add->t, t->Mul, s->Mul, Mul->y
        assertEquals(8, count(dot, " -> "));
    }

    @Test
    void namesAreEscapedAndLeavesExportAlone() {
        Variable x = Variable.scalar(1).named("say \"hi\"");
        assertEquals("digraph g {\n  0 [label=\"say \\\"hi\\\"\", color=orange, style=filled]\n}\n", Dot.toDot(x, false));
    }

    @Test
    void exportAfterBackwardExplainsTheFreedGraph() {
        Variable y = smallGraph().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Dot.toDot(y, false));
        assertTrue(e.getMessage().contains("retainGraph=true"), e.getMessage());
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/graph.dot");
        Dot.write(smallGraph(), true, file);
        assertEquals(Dot.toDot(smallGraph(), true), Files.readString(file));
        Dot.write(Variable.scalar(1).named("z"), false, file); // replaces the old file
        assertTrue(Files.readString(file).contains("label=\"z\""));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count());
        }
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
