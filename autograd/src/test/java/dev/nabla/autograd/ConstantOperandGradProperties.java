package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The binary primitives skip the gradient of an operand that does not require grad (a constant);
 * the gradient of the other operand must stay exact to first and second order, with the constant
 * on either side and broadcast against it.
 */
class ConstantOperandGradProperties {

    private static final String[] OPS = {"add", "sub", "mul", "div", "matmul"};

    private static Variable op(String name, Variable a, Variable b) {
        switch (name) {
            case "add": return a.add(b);
            case "sub": return a.sub(b);
            case "mul": return a.mul(b);
            case "div": return a.div(b);
            default: return a.matmul(b);
        }
    }

    /** Values in [0.5, 1.5], away from 0 so that division is smooth. */
    private static NDArray positive(Random r, int... shape) {
        return NDArray.uniform(r, 0.5, 1.5, shape);
    }

    @Property(tries = 30)
    void gradientOfTheVariableOperandIsExact(@ForAll @IntRange(min = 0, max = 4) int opIndex,
                                             @ForAll boolean constantFirst, @ForAll boolean broadcastConstant,
                                             @ForAll @IntRange(min = 1, max = 4) int rows,
                                             @ForAll @IntRange(min = 1, max = 4) int cols, @ForAll long seed) {
        String name = OPS[opIndex];
        Random r = new Random(seed);
        NDArray x = positive(r, rows, cols);
        NDArray constant;
        if (name.equals("matmul")) {
            constant = constantFirst ? positive(r, 3, rows) : positive(r, cols, 2);
        } else {
            constant = broadcastConstant ? positive(r, cols) : positive(r, rows, cols);
        }
        Variable c = Variable.constant(constant);
        BiFunction<Variable, Variable, Variable> f = (u, v) -> op(name, u, v);
        Function<Variable[], Variable> g = xs -> (constantFirst ? f.apply(c, xs[0]) : f.apply(xs[0], c)).tanh();
        GradCheck.check(g, x).orThrow();
        GradGradCheck.check(g, x).orThrow();
    }

    @Example
    void constantsGetNoGradientAndLeavesGetTheRightOne() {
        Variable x = Variable.of(2.0);
        Variable c = Variable.constant(NDArray.of(3.0));
        Variable y = x.mul(c).add(c).sub(c).div(c); // = x
        y.backward();
        assertEquals(1.0, x.grad().item(), 1e-15);
        assertNull(c.grad());
        Variable z = c.div(x); // d(3/x)/dx = -3/x^2
        x.clearGrad();
        z.backward();
        assertEquals(-0.75, x.grad().item(), 1e-15);
    }
}
