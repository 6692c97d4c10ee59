package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nabla.ndarray.DType;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@code add/sub/rsub/mul/div/rdiv(double)} compute an unrecorded result directly, without a Node
 * (Variable#unrecordedScalarOp): the value must be bitwise the one of the recorded path, a
 * Node applied to a 0-d constant of the same dtype, and a recorded op must still record.
 */
class UnrecordedScalarOpProperties {

    private static final String[] OPS = {"add", "sub", "rsub", "mul", "div", "rdiv"};

    private static Variable viaDouble(String op, Variable x, double s) {
        switch (op) {
            case "add": return x.add(s);
            case "sub": return x.sub(s);
            case "rsub": return x.rsub(s);
            case "mul": return x.mul(s);
            case "div": return x.div(s);
            default: return x.rdiv(s);
        }
    }

    private static Variable viaNode(String op, Variable x, Variable c) {
        switch (op) {
            case "add": return x.add(c);
            case "sub": return x.sub(c);
            case "rsub": return c.sub(x);
            case "mul": return x.mul(c);
            case "div": return x.div(c);
            default: return c.div(x);
        }
    }

    @Property(tries = 200)
    void unrecordedValueIsBitwiseTheNodeValue(@ForAll @IntRange(min = 0, max = 5) int opIndex,
                                              @ForAll @IntRange(min = 0, max = 1) int dtypeIndex,
                                              @ForAll @IntRange(min = 0, max = 3) int rank,
                                              @ForAll double s, @ForAll boolean gradOff, @ForAll long seed) {
        String op = OPS[opIndex];
        DType dtype = dtypeIndex == 0 ? DType.FLOAT32 : DType.FLOAT64;
        int[] shape = new int[rank];
        Random r = new Random(seed);
        for (int i = 0; i < rank; i++) {
            shape[i] = 1 + r.nextInt(3);
        }
        NDArray a = NDArray.uniform(r, dtype, -2, 2, shape);
        Variable x = new Variable(a, gradOff);
        Variable fast;
        Variable slow;
        try (Autograd.Scope scope = Autograd.setGradEnabled(!gradOff)) {
            fast = viaDouble(op, x, s);
            slow = viaNode(op, x, Variable.constant(s, dtype));
        }
        assertFalse(fast.requiresGrad(), op);
        assertEquals(dtype, fast.dtype(), op);
        assertArrayEquals(slow.data().shape(), fast.data().shape(), op);
        double[] u = slow.data().toArray();
        double[] v = fast.data().toArray();
        for (int i = 0; i < u.length; i++) {
            assertEquals(Double.doubleToRawLongBits(u[i]), Double.doubleToRawLongBits(v[i]), op + " at " + i);
        }
    }

    @Property(tries = 30)
    void recordedOpStillRecordsAndGetsItsGradient(@ForAll @IntRange(min = 0, max = 5) int opIndex,
                                                  @ForAll long seed) {
        String op = OPS[opIndex];
        Random r = new Random(seed);
        Variable x = new Variable(NDArray.uniform(r, 0.5, 1.5, 2, 3), true);
        Variable y = viaDouble(op, x, 1.25);
        assertNotNull(y.creator(), op);
        y.sum().backward();
        assertNotNull(x.grad(), op);
        Variable x2 = new Variable(x.data().copy(), true);
        viaNode(op, x2, Variable.constant(1.25)).sum().backward();
        assertArrayEquals(x2.grad().data().toArray(), x.grad().data().toArray(), 0.0, op);
    }

    @Property(tries = 10)
    void noGradGivesAConstant(@ForAll @IntRange(min = 0, max = 5) int opIndex) {
        Variable x = new Variable(NDArray.of(1.0, 2.0), true);
        try (Autograd.Scope scope = Autograd.noGrad()) {
            Variable y = viaDouble(OPS[opIndex], x, 3.0);
            assertNull(y.creator());
            assertFalse(y.requiresGrad());
        }
    }

    @Property(tries = 200)
    void unrecordedBinaryOpIsBitwiseTheNodeValue(@ForAll @IntRange(min = 0, max = 3) int opIndex,
                                                 @ForAll @IntRange(min = 0, max = 1) int dtypeIndex,
                                                 @ForAll @IntRange(min = 0, max = 3) int shapeCase,
                                                 @ForAll boolean gradOff, @ForAll long seed) {
        DType dtype = dtypeIndex == 0 ? DType.FLOAT32 : DType.FLOAT64;
        Random r = new Random(seed);
        int[][] shapes = {{2, 3}, {2, 3}, {3}, {}, {1}, {2, 3}, {2, 1}, {1, 3}};
        NDArray a = NDArray.uniform(r, dtype, 0.5, 2, shapes[2 * shapeCase]);
        NDArray b = NDArray.uniform(r, dtype, 0.5, 2, shapes[2 * shapeCase + 1]);
        Variable x = new Variable(a, gradOff);
        Variable c = new Variable(b, false);
        Variable fast;
        Variable slow;
        try (Autograd.Scope scope = Autograd.setGradEnabled(!gradOff)) {
            switch (opIndex) {
                case 0: fast = x.add(c); slow = new AddNode().apply(x, c); break;
                case 1: fast = x.sub(c); slow = new SubNode().apply(x, c); break;
                case 2: fast = c.mul(x); slow = new MulNode().apply(c, x); break;
                default: fast = c.div(x); slow = new DivNode().apply(c, x); break;
            }
        }
        assertFalse(fast.requiresGrad());
        assertNull(fast.creator());
        assertArrayEquals(slow.data().shape(), fast.data().shape());
        double[] u = slow.data().toArray();
        double[] v = fast.data().toArray();
        for (int i = 0; i < u.length; i++) {
            assertEquals(Double.doubleToRawLongBits(u[i]), Double.doubleToRawLongBits(v[i]), "at " + i);
        }
    }
}
