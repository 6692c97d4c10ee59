package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Autograd;
import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Activation modules, Flatten and Identity: known values, and first/second-order gradient checks. */
class ActivationsTest {
    private static final double[] ZERO = {0.0};

    private static NDArray apply(Module m, double... xs) {
        return m.forward(new Variable(NDArray.of(xs))).data();
    }

    @Test
    void stepIsHeavisideWithZeroAtZero() {
        assertArrayEquals(new double[] {0, 0, 0, 1, 1}, apply(new Step(), -2, -1e-300, 0, 1e-300, 3).toArray(), 0);
    }

    @Test
    void stepRefusesToBackpropagate() {
        Variable x = new Variable(NDArray.of(-1, 2), true);
        Variable y = new Step().forward(x).sum();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, y::backward);
        assertTrue(e.getMessage().contains("not differentiable") && e.getMessage().contains("Sigmoid"), e.getMessage());
        try (Autograd.Scope s = Autograd.noGrad()) {
            assertFalse(new Step().forward(x).requiresGrad());
        }
    }

    @Test
    void perceptronGatesWithHandSetWeights() {
        // AND: w = (0.5, 0.5), b = -0.7 (Deep Learning from Scratch, ch. 2)
        NDArray inputs = NDArray.of(new double[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}});
        Variable s = new Variable(inputs.matmul(NDArray.of(new double[][] {{0.5}, {0.5}})).add(-0.7));
        assertArrayEquals(new double[] {0, 0, 0, 1}, new Step().forward(s).data().toArray(), 0);
    }

    @Test
    void knownValues() {
        assertArrayEquals(new double[] {0.5, 1 / (1 + Math.exp(-2))}, apply(new Sigmoid(), 0, 2).toArray(), 1e-15);
        assertArrayEquals(new double[] {Math.tanh(-0.5), 0}, apply(new Tanh(), -0.5, 0).toArray(), 1e-15);
        assertArrayEquals(new double[] {0, 0, 3}, apply(new ReLU(), -1, 0, 3).toArray(), 0);
        assertArrayEquals(new double[] {-0.01, 3}, apply(new LeakyReLU(), -1, 3).toArray(), 1e-15);
        assertArrayEquals(new double[] {-0.2, 3}, apply(new LeakyReLU(0.2), -1, 3).toArray(), 1e-15);
        // GELU(1) = Φ(1) = 0.8413447460685429 (standard normal CDF); GELU(-1) = -(1 - Φ(1))
        assertArrayEquals(new double[] {0.8413447460685429, -0.15865525393145707, 0},
                apply(new GELU(), 1, -1, 0).toArray(), 1e-12);
        // tanh approximation at 1: 0.5 (1 + tanh(√(2/π) · 1.044715)) = 0.8411919906082768
        assertEquals(0.8411919906082768, apply(new GELU(true), 1).getFlat(0), 1e-12);
        NDArray sm = new Softmax(1).forward(new Variable(NDArray.of(new double[][] {{1, 2, 3}, {1000, 1000, 1000}}))).data();
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z, 1 / 3.0, 1 / 3.0, 1 / 3.0},
                sm.toArray(), 1e-15);
        NDArray sm0 = new Softmax(0).forward(new Variable(NDArray.of(new double[][] {{0, 5}, {0, 5}}))).data();
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5}, sm0.toArray(), 1e-15);
    }

    @Test
    void flattenAndIdentityShapes() {
        Variable x = new Variable(NDArray.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5));
        assertArrayEquals(new int[] {2, 60}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {2, 12, 5}, new Flatten(1, 2).forward(x).shape());
        assertArrayEquals(new int[] {120}, new Flatten(0, -1).forward(x).shape());
        assertArrayEquals(x.data().toArray(), new Flatten().forward(x).data().toArray(), 0);
        assertSame(x, new Identity().forward(x));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Flatten(2, 1).forward(x));
        assertTrue(e.getMessage().contains("start_dim 2") && e.getMessage().contains("(2, 3, 4, 5)"), e.getMessage());
    }

    @Property(tries = 30)
    void sigmoidTanhGeluFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int a,
                                            @ForAll @IntRange(min = 1, max = 4) int b) {
        Random r = new Random(seed);
        NDArray x = Checks.randn(r, a, b).mul(2);
        Checks.firstAndSecondOrder(v -> new Sigmoid().forward(v[0]), x);
        Checks.firstAndSecondOrder(v -> new Tanh().forward(v[0]), x);
        Checks.firstAndSecondOrder(v -> new GELU().forward(v[0]), x);
        Checks.firstAndSecondOrder(v -> new GELU(true).forward(v[0]), x);
    }

    @Property(tries = 30)
    void reluAndLeakyReluFirstAndSecondOrderAwayFromTheKink(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int a,
                                                            @ForAll @IntRange(min = 1, max = 4) int b,
                                                            @ForAll @DoubleRange(min = 0.0, max = 0.5) double slope) {
        Random r = new Random(seed);
        NDArray x = Checks.awayFrom(r, 0.01, ZERO, a, b);
        Checks.firstAndSecondOrder(v -> new ReLU().forward(v[0]), x);
        Checks.firstAndSecondOrder(v -> new LeakyReLU(slope).forward(v[0]), x);
    }

    @Property(tries = 30)
    void softmaxFirstAndSecondOrderAlongEitherAxis(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int a,
                                                   @ForAll @IntRange(min = 1, max = 4) int b,
                                                   @ForAll @IntRange(min = -2, max = 1) int axis) {
        Random r = new Random(seed);
        NDArray x = Checks.randn(r, a, b).mul(3);
        Checks.firstAndSecondOrder(v -> new Softmax(axis).forward(v[0]), x);
    }

    @Property(tries = 20)
    void flattenFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int a,
                                    @ForAll @IntRange(min = 1, max = 3) int b) {
        Random r = new Random(seed);
        Checks.firstAndSecondOrder(v -> new Flatten().forward(v[0]).mul(v[0].reshape(a, -1)), Checks.randn(r, a, b, 2));
        Checks.firstAndSecondOrder(v -> new Identity().forward(v[0]).square(), Checks.randn(r, a, b));
    }
}
