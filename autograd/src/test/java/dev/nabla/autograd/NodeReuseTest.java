package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/** A Node instance is one recorded application: a second apply is refused, and the first graph stays intact. */
class NodeReuseTest {

    @Test
    void aSecondApplyOfABuiltInNodeIsRefusedAndTheFirstGraphStaysCorrect() {
        Variable x = Variable.of(1, 2);
        Variable y = Variable.of(3, 4);
        MulNode mul = new MulNode();
        Variable first = mul.apply(x, y);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> mul.apply(Variable.of(5, 6), Variable.of(7, 8)));
        assertEquals("MulNode was already applied once; a Node records one application (the inputs and output its "
                + "backward uses), so applying it again would corrupt the first graph — create a new instance per "
                + "call: new MulNode(...).apply(...)", e.getMessage());
        first.sum().backward();
        assertArrayEquals(new double[] {3, 4}, x.grad().data().toArray());
        assertArrayEquals(new double[] {1, 2}, y.grad().data().toArray());
    }

    @Test
    void reuseIsRefusedWhateverTheGradModeOfEitherCall() {
        Variable x = Variable.of(1, 2);
        ExpNode exp = new ExpNode();
        try (Autograd.Scope s = Autograd.noGrad()) {
            exp.apply(x);
        }
        assertThrows(IllegalStateException.class, () -> exp.apply(x));
    }

    @Test
    void aUserDefinedNodeIsRefusedByItsClassName() {
        UserDefinedNodeTest.Hypot h = new UserDefinedNodeTest.Hypot();
        h.apply(Variable.scalar(3), Variable.scalar(4));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> h.apply(Variable.scalar(5), Variable.scalar(12)));
        assertEquals(true, e.getMessage().startsWith("Hypot was already applied once"), e.getMessage());
        // fresh instances per call work as usual
        Variable a = Variable.scalar(5);
        new UserDefinedNodeTest.Hypot().apply(a, Variable.scalar(12)).backward();
        assertEquals(5.0 / 13.0, a.grad().item(), 1e-15);
    }

    @Test
    void anAnonymousNodeIsNamedByItsOperationName() {
        Node n = new Node() {
            @Override
            protected NDArray forward(NDArray... xs) {
                return xs[0].copy();
            }

            @Override
            protected Variable[] backward(Variable gy) {
                return new Variable[] {gy};
            }

            @Override
            public String name() {
                return "Ident";
            }
        };
        n.apply(Variable.scalar(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> n.apply(Variable.scalar(2)));
        assertEquals(true, e.getMessage().startsWith("IdentNode was already applied once"), e.getMessage());
    }
}
