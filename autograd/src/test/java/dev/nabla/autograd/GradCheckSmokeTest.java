package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GradCheckSmokeTest {
    @Test
    void firstAndSecondOrderOnAComposite() {
        Random r = new Random(1);
        NDArray a = NDArray.randn(r, 3, 4);
        NDArray b = NDArray.randn(r, 4, 2);
        NDArray c = NDArray.randn(r, 2);
        java.util.function.Function<Variable[], Variable> f =
                x -> F.softmax(x[0].matmul(x[1]).add(x[2]).tanh(), 1);
        GradCheck.check(f, a, b, c).orThrow();
        GradGradCheck.check(f, a, b, c).orThrow();
    }

    @Test
    void brokenGradientIsCaught() {
        class BadSquare extends Node {
            @Override
            protected NDArray forward(NDArray... x) {
                return x[0].square();
            }

            @Override
            protected Variable[] backward(Variable gy) {
                return new Variable[] {gy.mul(input(0))}; // missing factor 2
            }
        }
        GradCheck.Result res = GradCheck.check(x -> new BadSquare().apply(x[0]), NDArray.of(1, 2, 3));
        assertFalse(res.passed());
    }
}
