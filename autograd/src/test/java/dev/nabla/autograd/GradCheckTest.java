package dev.nabla.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ndarray.Index;
import dev.nabla.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** GradCheck and GradGradCheck catch what they must, report it usefully, and leave inputs alone. */
class GradCheckTest {

    /** Identity forward whose backward reverses the gradient: right for sum(y), wrong for vᵀJ. */
    static final class ReversingIdentity extends Node {
        @Override
        protected NDArray forward(NDArray... x) {
            return x[0].copy();
        }

        @Override
        protected boolean savesInputs() {
            return false;
        }

        @Override
        protected Variable[] backward(Variable gy) {
            int n = gy.size();
            int[] rev = new int[n];
            for (int i = 0; i < n; i++) {
                rev[i] = n - 1 - i;
            }
            return new Variable[] {gy.getItem(Index.of(rev))};
        }
    }

    /** Sigmoid whose backward uses constants: first derivatives right, second derivatives missing. */
    static final class FlatSigmoid extends Node {
        @Override
        protected NDArray forward(NDArray... x) {
            return x[0].sigmoid();
        }

        @Override
        protected Variable[] backward(Variable gy) {
            NDArray s = input(0).data().sigmoid();
            return new Variable[] {gy.mul(Variable.constant(s.mul(s.neg().add(1.0))))};
        }
    }

    @Test
    void aRandomCotangentCatchesWhatTheGradientOfTheSumHides() {
        NDArray x = NDArray.of(0.5, -1.0, 2.0);
        // the gradient of sum(y) is all ones either way
        Variable v = new Variable(x.copy(), true);
        new ReversingIdentity().apply(v).sum().backward();
        assertTrue(v.grad().data().allClose(NDArray.ones(3)));
        GradCheck.Result r = GradCheck.check(z -> new ReversingIdentity().apply(z[0]), x);
        assertFalse(r.passed());
        // softmax's Jacobian rows sum to zero: sum(softmax(x)) has zero gradient whatever the backward does
        GradCheck.check(z -> F.softmax(z[0], 0), x).orThrow();
    }

    @Test
    void theReportNamesInputIndexAndBothValues() {
        GradCheck.Result r = GradCheck.check(z -> z[0].mul(new ReversingIdentity().apply(z[1])),
                NDArray.of(1.0, 2.0), NDArray.of(3.0, 4.0));
        assertFalse(r.passed());
        assertTrue(r.maxError() > 0.1);
        String first = r.failures().get(0);
        assertTrue(first.startsWith("input 1 (2,), flat index "), first);
        assertTrue(first.contains("analytical") && first.contains("vs numerical"), first);
        AssertionError e = assertThrows(AssertionError.class, r::orThrow);
        assertTrue(e.getMessage().startsWith("gradient check failed:"), e.getMessage());
        assertTrue(r.toString().startsWith("FAILED (max error"), r.toString());
    }

    @Test
    void secondOrderCheckCatchesABackwardBuiltFromConstants() {
        NDArray x = NDArray.of(0.3, -0.7, 1.1);
        GradCheck.check(z -> new FlatSigmoid().apply(z[0]), x).orThrow();
        assertFalse(GradGradCheck.check(z -> new FlatSigmoid().apply(z[0]), x).passed());
        GradGradCheck.check(z -> z[0].sigmoid(), x).orThrow();
    }

    @Test
    void checksDoNotModifyTheirInputs() {
        NDArray a = NDArray.randn(new Random(2), 2, 3);
        NDArray before = a.copy();
        GradCheck.check(z -> z[0].tanh(), a).orThrow();
        GradGradCheck.check(z -> z[0].tanh(), a).orThrow();
        assertEquals(before, a);
        assertEquals(0, a.version());
    }

    @Test
    void optionsChangeStepToleranceAndCotangent() {
        NDArray x = NDArray.of(0.4, 1.3);
        GradCheck.Result coarse = GradCheck.check(z -> z[0].exp(), GradCheck.Options.defaults().eps(1e-1), x);
        GradCheck.Result fine = GradCheck.check(z -> z[0].exp(), GradCheck.Options.defaults(), x);
        assertTrue(coarse.maxError() > 100 * fine.maxError(), coarse + " vs " + fine);
        assertTrue(GradCheck.check(z -> z[0].exp(), GradCheck.Options.defaults().eps(1e-1).tolerances(1e-1, 1e-1), x)
                .passed());
        assertTrue(GradCheck.check(z -> z[0].exp(), GradCheck.Options.defaults().seed(9), x).passed());
    }

    @Test
    void numericalGradientAsTheTextbooksTeach() {
        // f(x) = x0² + x1²: gradient (6, 8) at (3, 4), (0, 4) at (0, 2), (6, 0) at (3, 0)
        java.util.function.Function<NDArray, Double> f = x -> x.square().sum().item();
        assertArrayEquals(new double[] {6, 8}, GradCheck.numericalGradient(f, NDArray.of(3, 4)).toArray(), 1e-6);
        assertArrayEquals(new double[] {0, 4}, GradCheck.numericalGradient(f, NDArray.of(0, 2)).toArray(), 1e-6);
        assertArrayEquals(new double[] {6, 0}, GradCheck.numericalGradient(f, NDArray.of(3, 0)).toArray(), 1e-6);
        NDArray m = NDArray.of(new double[][] {{1, 2}, {3, 4}});
        assertArrayEquals(new int[] {2, 2}, GradCheck.numericalGradient(x -> x.sum().item(), m).shape());
    }
}
