package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Variable;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DropoutTest {

    @Test
    void trainingZeroesAboutPAndScalesSurvivorsByOneOverOneMinusP() {
        double p = 0.3;
        int n = 100_000;
        NDArray y = new Dropout(p, new Random(7)).forward(new Variable(NDArray.ones(n))).data();
        int zeros = 0;
        for (int i = 0; i < n; i++) {
            double v = y.getFlat(i);
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / (1 - p), v, 0, "a survivor must be scaled by exactly 1/(1-p)");
            }
        }
        double se = Math.sqrt(p * (1 - p) / n);
        assertEquals(p, (double) zeros / n, 5 * se);
        // inverted dropout keeps the expectation
        assertEquals(1.0, y.sum().item() / n, 5 * se / (1 - p));
    }

    @Test
    void evalModeIsTheIdentity() {
        Dropout d = new Dropout(0.9, new Random(1));
        d.eval();
        Variable x = new Variable(NDArray.randn(new Random(2), 4, 5));
        assertSame(x, d.forward(x));
        Random untouched = new Random(1);
        d.train();
        // eval must not have consumed random numbers: the first training mask equals a fresh one
        NDArray fresh = new Dropout(0.9, untouched).forward(x).data();
        assertArrayEquals(fresh.toArray(), d.forward(x).data().toArray(), 0);
    }

    @Test
    void extremeProbabilities() {
        Variable x = new Variable(NDArray.randn(new Random(3), 3, 3));
        assertSame(x, new Dropout(0.0, new Random(0)).forward(x));
        assertArrayEquals(new double[9], new Dropout(1.0, new Random(0)).forward(x).data().toArray(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new Random(0)));
        assertTrue(e.getMessage().contains("between 0 and 1") && e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void sameSeedSameMaskAndFreshMasksPerCall() {
        Variable x = new Variable(NDArray.ones(50));
        Dropout a = new Dropout(0.5, new Random(11));
        Dropout b = new Dropout(0.5, new Random(11));
        NDArray a1 = a.forward(x).data();
        assertArrayEquals(a1.toArray(), b.forward(x).data().toArray(), 0);
        assertFalse(java.util.Arrays.equals(a1.toArray(), a.forward(x).data().toArray()), "each call draws a new mask");
    }

    @Test
    void gradientIsTheScaledMask() {
        Variable x = new Variable(NDArray.randn(new Random(4), 6, 7), true);
        Variable y = new Dropout(0.4, new Random(5)).forward(x);
        y.sum().backward();
        NDArray mask = new Dropout(0.4, new Random(5)).forward(new Variable(NDArray.ones(6, 7))).data();
        assertArrayEquals(mask.toArray(), x.grad().data().toArray(), 0);
    }

    @Property(tries = 25)
    void fixedMaskFirstAndSecondOrder(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int n,
                                      @ForAll @DoubleRange(min = 0.0, max = 0.9) double p) {
        NDArray x = Checks.randn(new Random(seed), n, 3);
        // a fresh generator with the same seed per evaluation keeps the mask fixed across the finite differences
        Checks.firstAndSecondOrder(v -> new Dropout(p, new Random(seed)).forward(v[0]).tanh(), x);
    }
}
