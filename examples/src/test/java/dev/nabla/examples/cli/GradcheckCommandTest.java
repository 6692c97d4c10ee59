package dev.nabla.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Node;
import dev.nabla.autograd.OpCase;
import dev.nabla.autograd.OpInfo;
import dev.nabla.autograd.Ops;
import dev.nabla.autograd.Variable;
import dev.nabla.examples.Main;
import dev.nabla.ndarray.NDArray;
import dev.nabla.nn.NNOps;
import org.junit.jupiter.api.Test;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

class GradcheckCommandTest {
    /** sin with the derivative of the wrong sign: the check must catch it. */
    static final class BrokenSinNode extends Node {
        @Override
        protected NDArray forward(NDArray... xs) {
            return xs[0].sin();
        }

        @Override
        protected Variable[] backward(Variable gy) {
            return new Variable[] {gy.mul(input(0).cos()).neg()};
        }
    }

    @Test
    void everyRegisteredOpPassesAndTheTableListsThemAll() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(new String[] {"gradcheck", "--cases", "2"}, out, out));
        String table = bytes.toString(StandardCharsets.UTF_8);
        for (OpInfo op : Ops.registry()) {
            assertTrue(table.contains("\n" + op.name() + " "), op.name() + " missing:\n" + table);
        }
        for (OpInfo op : NNOps.registry()) {
            assertTrue(table.contains("\nnn." + op.name() + " "), op.name() + " missing:\n" + table);
        }
        assertTrue(table.contains((Ops.registry().size() + NNOps.registry().size()) + " passed, 0 failed"), table);
        assertTrue(!table.contains("FAIL"), table);
    }

    @Test
    void aWrongGradientFailsWithExitStatusOne() {
        OpInfo broken = new OpInfo("brokenSin", OpInfo.Kind.PRIMITIVE, 1, "values in [-2, 2]", true,
                List.of(BrokenSinNode.class),
                rng -> new OpCase("", xs -> new BrokenSinNode().apply(xs[0]), NDArray.uniform(rng, -2, 2, 3)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = GradcheckCommand.report(List.of(Ops.byName("sin"), broken), 2, 0, out);
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, table);
        assertTrue(table.matches("(?s).*\\nsin .*pass\\n.*"), table);
        assertTrue(table.matches("(?s).*\\nbrokenSin .*FAIL\\n.*"), table);
        assertTrue(table.contains("1 passed, 1 failed"), table);
        assertTrue(table.contains("brokenSin seed=0"), "details of the failing case are printed:\n" + table);
    }
}
