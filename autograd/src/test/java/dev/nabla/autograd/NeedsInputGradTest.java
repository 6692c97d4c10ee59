package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link Node#needsInputGrad}: a backward computes no gradient (returns null) for an input that does
 * not require grad, and the gradients of the other inputs are bit for bit those computed when every
 * input requires grad.
 */
class NeedsInputGradTest {

    /** One op under test: its input shapes and how it is applied. */
    private record Op(String name, Function<Variable[], Variable> fn, int[]... shapes) {}

    private static List<Op> ops() {
        NDArray cond = NDArray.of(new boolean[] {true, false, false, true, true, false}, 2, 3);
        List<Op> ops = new ArrayList<>();
        ops.add(new Op("concat", x -> new ConcatNode(1).apply(x), new int[] {2, 1}, new int[] {2, 3}, new int[] {2, 2}));
        ops.add(new Op("where", x -> new WhereNode(cond).apply(x), new int[] {2, 3}, new int[] {3}));
        ops.add(new Op("maximum", x -> x[0].maximum(x[1]), new int[] {2, 3}, new int[] {3}));
        ops.add(new Op("minimum", x -> x[0].minimum(x[1]), new int[] {2, 3}, new int[] {2, 1}));
        ops.add(new Op("matmul", x -> x[0].matmul(x[1]), new int[] {2, 3}, new int[] {3, 4}));
        ops.add(new Op("matmulT", x -> x[0].matmul(x[1], true, true), new int[] {3, 2}, new int[] {4, 3}));
        ops.add(new Op("add", x -> new AddNode().apply(x), new int[] {2, 3}, new int[] {3}));
        ops.add(new Op("sub", x -> new SubNode().apply(x), new int[] {2, 3}, new int[] {1, 3}));
        ops.add(new Op("mul", x -> new MulNode().apply(x), new int[] {2, 3}, new int[] {3}));
        ops.add(new Op("div", x -> new DivNode().apply(x), new int[] {2, 3}, new int[] {3}));
        ops.add(new Op("powVar", x -> new PowTensorNode().apply(x), new int[] {2, 3}, new int[] {3}));
        return ops;
    }

    private static NDArray[] draw(Op op, Random r) {
        NDArray[] a = new NDArray[op.shapes().length];
        for (int i = 0; i < a.length; i++) {
            double[] v = new double[dev.nabla.ndarray.Shapes.size(op.shapes()[i])];
            for (int k = 0; k < v.length; k++) {
                v[k] = 0.5 + 1.5 * r.nextDouble(); // positive (div, pow) and distinct (maximum)
            }
            a[i] = NDArray.of(v, op.shapes()[i]);
        }
        return a;
    }

    private static Variable[] leaves(NDArray[] a, int frozen) {
        Variable[] x = new Variable[a.length];
        for (int i = 0; i < a.length; i++) {
            x[i] = new Variable(a[i].copy(), i != frozen);
        }
        return x;
    }

    private static void assertBits(NDArray expected, NDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toArray();
        double[] g = actual.toArray();
        for (int k = 0; k < e.length; k++) {
            assertEquals(Double.doubleToRawLongBits(e[k]), Double.doubleToRawLongBits(g[k]), what + " element " + k);
        }
    }

    @Test
    void backwardReturnsNullForAFrozenInputAndTheSameBitsForTheOthers() {
        for (Op op : ops()) {
            Random r = new Random(op.name().hashCode());
            NDArray[] a = draw(op, r);
            Variable[] all = leaves(a, -1);
            Variable yAll = op.fn().apply(all);
            NDArray seed = NDArray.randn(r, yAll.shape());
            Variable[] ref = yAll.creator().backward(new Variable(seed));
            for (int frozen = 0; frozen < a.length; frozen++) {
                String what = op.name() + " with input " + frozen + " frozen";
                Variable[] x = leaves(a, frozen);
                Variable y = op.fn().apply(x);
                assertTrue(y.creator().needsInputGrad(1 - Math.min(frozen, 1)), what);
                assertFalse(y.creator().needsInputGrad(frozen), what);
                // the node's own backward: nothing computed for the frozen input
                Variable[] g = y.creator().backward(new Variable(seed));
                assertNull(g[frozen], what + ": a gradient was computed for the frozen input");
                for (int i = 0; i < a.length; i++) {
                    if (i != frozen) {
                        assertNotNull(g[i], what + ", input " + i);
                        assertBits(ref[i].data(), g[i].data(), what + ", input " + i);
                    }
                }
                // through the engine: the frozen leaf gets no .grad, the others the reference bits
                y.backward(new Variable(seed));
                assertNull(x[frozen].grad(), what);
                for (int i = 0; i < a.length; i++) {
                    if (i != frozen) {
                        assertBits(ref[i].data(), x[i].grad().data(), what + ", .grad of input " + i);
                    }
                }
            }
        }
    }
}
